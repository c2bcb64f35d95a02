/**
 * What the demo company (广东星河五金制品有限公司, a hardware maker and
 * wholesaler in 佛山) trades in and with whom: the fixed cast the demo
 * history generator (seed-demo.ts) draws from. Prices are in yuan, as strings.
 */
export interface DemoItem { code: string; name: string; spec: string; category: string; cost: string; price: string; weight: number }

export const ITEMS: DemoItem[] = [
  { code: 'HJ-001', name: '不锈钢合页', spec: '4寸 304', category: '合页', cost: '6.20', price: '9.80', weight: 10 },
  { code: 'HJ-002', name: '液压缓冲合页', spec: '35mm 杯', category: '合页', cost: '4.50', price: '7.50', weight: 9 },
  { code: 'LS-001', name: '门锁套装', spec: '执手锁 铜芯', category: '门锁', cost: '58.00', price: '89.00', weight: 6 },
  { code: 'LS-002', name: '智能指纹锁', spec: 'C 级锁芯', category: '门锁', cost: '420.00', price: '680.00', weight: 3 },
  { code: 'LS-003', name: '抽屉锁', spec: '锌合金', category: '门锁', cost: '5.60', price: '9.00', weight: 5 },
  { code: 'HG-001', name: '三节抽屉滑轨', spec: '400mm', category: '滑轨', cost: '11.00', price: '17.50', weight: 8 },
  { code: 'HG-002', name: '阻尼隐藏滑轨', spec: '450mm', category: '滑轨', cost: '36.00', price: '55.00', weight: 5 },
  { code: 'LJ-001', name: '铝合金拉手', spec: '128mm 孔距', category: '拉手', cost: '3.80', price: '6.50', weight: 9 },
  { code: 'LJ-002', name: '黄铜拉手', spec: '160mm 孔距', category: '拉手', cost: '15.00', price: '24.00', weight: 4 },
  { code: 'LD-001', name: '膨胀螺栓', spec: 'M8×80 (100只/盒)', category: '紧固件', cost: '18.00', price: '28.00', weight: 7 },
  { code: 'LD-002', name: '自攻螺丝', spec: 'ST4.2×25 (1000只/盒)', category: '紧固件', cost: '22.00', price: '33.00', weight: 7 },
  { code: 'JG-001', name: '闭门器', spec: '60kg 液压', category: '门控', cost: '45.00', price: '72.00', weight: 4 },
  { code: 'JG-002', name: '地弹簧', spec: '120kg', category: '门控', cost: '160.00', price: '248.00', weight: 2 },
  { code: 'XS-001', name: '不锈钢门吸', spec: '加厚', category: '门控', cost: '4.20', price: '7.00', weight: 6 },
];

export interface DemoParty { name: string; province: string; city: string; industry: string; tier: 'A' | 'B' | 'C'; weight: number }

/** Customers: mostly Guangdong, some from the neighbouring provinces; builders, furniture makers, dealers. */
export const CUSTOMERS: DemoParty[] = [
  { name: '佛山市顺德区美家家具有限公司', province: '44', city: '4406', industry: '家具制造', tier: 'A', weight: 10 },
  { name: '广州华南建材贸易有限公司', province: '44', city: '4401', industry: '建材批发', tier: 'A', weight: 9 },
  { name: '深圳市安居智能门窗有限公司', province: '44', city: '4403', industry: '门窗', tier: 'A', weight: 8 },
  { name: '东莞市恒泰橱柜厂', province: '44', city: '4419', industry: '橱柜', tier: 'B', weight: 6 },
  { name: '中山市宏图装饰工程有限公司', province: '44', city: '4420', industry: '装修工程', tier: 'B', weight: 5 },
  { name: '江门市新会五金批发部', province: '44', city: '4407', industry: '五金零售', tier: 'C', weight: 3 },
  { name: '惠州市广厦建筑工程有限公司', province: '44', city: '4413', industry: '建筑施工', tier: 'B', weight: 5 },
  { name: '广西南宁盛世家居有限公司', province: '45', city: '4501', industry: '家具零售', tier: 'B', weight: 4 },
  { name: '长沙湘江门业有限公司', province: '43', city: '4301', industry: '门业', tier: 'B', weight: 4 },
  { name: '厦门鹭岛酒店用品有限公司', province: '35', city: '3502', industry: '酒店用品', tier: 'C', weight: 3 },
  { name: '杭州西子定制家居有限公司', province: '33', city: '3301', industry: '定制家居', tier: 'B', weight: 4 },
  { name: '南京金陵装饰材料城', province: '32', city: '3201', industry: '建材市场', tier: 'C', weight: 2 },
  { name: '佛山市南海区铝材门窗厂', province: '44', city: '4406', industry: '门窗', tier: 'C', weight: 3 },
  { name: '广州番禺星级酒店管理有限公司', province: '44', city: '4401', industry: '酒店', tier: 'C', weight: 2 },
];

export const SUPPLIERS = [
  { code: 'S-ZJ01', name: '浙江永康五金制品有限公司' },
  { code: 'S-GD01', name: '揭阳市不锈钢制品厂' },
  { code: 'S-GD02', name: '中山市小榄锁业有限公司' },
];

/** Leads: people and companies who asked; names are made up. */
export const LEAD_COMPANIES = ['珠海海韵装饰公司', '汕头潮宏家具厂', '清远市阳光建材店', '肇庆市鼎湖门窗厂', '湛江港城酒店', '韶关市丹霞建筑工程队',
  '梅州客家家居馆', '茂名市石化宿舍装修项目', '阳江刀剪五金城', '河源市万绿装饰公司', '云浮石材市场', '潮州陶瓷卫浴经销部', '揭阳玉器街商户', '汕尾红海湾度假村'];
export const LEAD_PEOPLE = ['陈志强', '林晓燕', '黄伟', '李秀英', '张建华', '吴敏', '刘洋', '周杰', '郑丽娟', '何海涛', '罗晓梅', '梁国栋', '谢婷', '许文博'];
export const LEAD_SOURCES = ['web_form', 'exhibition', 'referral', 'campaign', 'manual'];

/** Monthly demand, Jan…Dec: a slow Spring Festival, a peak before the Golden Week and year end. */
export const SEASON = [0.75, 0.55, 1.0, 1.05, 1.05, 1.0, 0.95, 1.0, 1.15, 1.1, 1.2, 1.3];

/**
 * Made in house (生产): the door lock set LS-001 is assembled in 佛山 from bought
 * parts, on one assembly line with an inspection step; the other items are traded.
 */
export const MADE = {
  item: 'LS-001',
  parts: [
    { code: 'BJ-LT01', name: '锁体', spec: '锌合金 60mm', cost: '22.00', qty: 1 },
    { code: 'BJ-SX01', name: '锁芯', spec: '铜芯 70mm', cost: '14.00', qty: 1 },
    { code: 'BJ-ZS01', name: '执手组件', spec: '304 不锈钢', cost: '9.50', qty: 2, scrap: '0.02' },
  ],
  /** Which supplier (SUPPLIERS index) sells the parts: 中山市小榄锁业. */
  supplier: 2,
  workstation: { code: 'ZP01', name: '门锁装配线', hourly_cost: '45', overhead_rate: '20' },
  operations: [{ seq: 10, name: '装配', setup_minutes: 20, run_minutes: 6 }, { seq: 20, name: '检验包装', setup_minutes: 0, run_minutes: 2 }],
};

/** The people (人事): departments and staff; hourly cost is what a project hour costs. */
export const DEPARTMENTS = ['总经办', '销售部', '生产部', '仓储物流部', '财务部', '客服部'];
export const EMPLOYEES: { no: string; name: string; dept: number; position: string; hired: string; hourly: string; selling?: boolean }[] = [
  { no: 'XH001', name: '何志明', dept: 0, position: '总经理', hired: '2015-03-01', hourly: '260' },
  { no: 'XH002', name: '梁嘉欣', dept: 1, position: '销售经理', hired: '2017-06-12', hourly: '150', selling: true },
  { no: 'XH003', name: '陈俊杰', dept: 1, position: '销售代表', hired: '2021-02-22', hourly: '90', selling: true },
  { no: 'XH004', name: '黄丽萍', dept: 1, position: '销售代表', hired: '2023-09-04', hourly: '85', selling: true },
  { no: 'XH005', name: '林国强', dept: 2, position: '生产主管', hired: '2016-08-15', hourly: '110' },
  { no: 'XH006', name: '吴海燕', dept: 2, position: '装配工', hired: '2020-04-01', hourly: '55' },
  { no: 'XH007', name: '罗志伟', dept: 2, position: '质检员', hired: '2022-07-18', hourly: '60' },
  { no: 'XH008', name: '郭小兵', dept: 3, position: '仓管员', hired: '2019-11-11', hourly: '55' },
  { no: 'XH009', name: '邓美玲', dept: 4, position: '会计', hired: '2018-05-07', hourly: '95' },
  { no: 'XH010', name: '曾文斌', dept: 5, position: '客服主管', hired: '2019-03-18', hourly: '80' },
  { no: 'XH011', name: '苏晓雯', dept: 5, position: '客服专员', hired: '2024-03-01', hourly: '60' },
  { no: 'XH012', name: '冯建新', dept: 2, position: '工艺工程师', hired: '2021-10-08', hourly: '120' },
];
export const LEAVE_REASONS = ['家中有事', '身体不适', '孩子开家长会', '回老家办事', '看病复查'];

/** Projects (项目): a fit-out the company supplies and installs, and its own ERP roll-out. */
export const PROJECTS = [
  { code: 'PRJ-WK01', name: '佛山万科城精装五金配套', customer: 0, budget: { labour: '60000', expense: '8000' },
    tasks: ['现场测量与选型', '样板间安装', '批量安装', '验收与交付'], members: ['XH002', 'XH005', 'XH012', 'XH006'] },
  { code: 'PRJ-ERP', name: '星河五金 ERP 上线', customer: null, budget: { labour: '40000', expense: '3000' },
    tasks: ['需求梳理', '数据导入', '培训', '上线支持'], members: ['XH009', 'XH008', 'XH010'] },
];
export const EXPENSE_CATEGORIES = ['travel', 'meal', 'transport'];

/** Service desk (客服工单): what customers call about. */
export const TICKET_SUBJECTS = ['合页安装后异响', '门锁钥匙打不开', '滑轨推拉不顺', '发货数量与订单不符', '拉手表面划伤', '闭门器漏油', '发票抬头开错', '指纹锁识别失败'];
export const SLA_POLICIES = [
  { name: '普通工单', priority: 'normal', first_response_minutes: 240, resolution_minutes: 1440, business_hours: true },
  { name: '紧急工单', priority: 'urgent', first_response_minutes: 30, resolution_minutes: 240, business_hours: false },
];
