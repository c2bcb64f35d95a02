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
