import { registerBuiltinTemplate, type TPrintTemplateInput } from '@mosaic/print';

/**
 * 工资条 as it prints (GET /api/v1/records/payslip/{id}/print, the record page's 打印 button):
 * earnings, the employee's 五险一金 and the cumulative IIT figures, net pay in figures and in
 * 大写. The print path reads through the guard, so an employee (role employee_self, scope
 * `own`) prints only their own, submitted payslips; anyone else's is a 404.
 */
export const PAYSLIP_TEMPLATE: TPrintTemplateInput = {
  title: '工资条',
  subtitle: '{{period}}',
  headerColumns: 2,
  header: [
    { label: '员工', value: '{{employee_name}}' },
    { label: '工号', value: '{{employee_no}}' },
    { label: '工资月份', value: '{{period}}' },
    { label: '社保基数', value: '{{si_base|money}}' },
    // A part month (hired or left in it) is paid its working days employed of the month's.
    { label: '当月工作日', value: '{{month_workdays}}' },
    { label: '在职工作日', value: '{{employed_workdays}}' },
    { label: '基本工资', value: '{{base_salary|money}}' },
    { label: '津贴补贴', value: '{{allowances|money}}' },
    { label: '加班小时', value: '{{overtime_hours|number}}' },
    { label: '加班费', value: '{{overtime_pay|money}}' },
    { label: '缺勤天数', value: '{{absence_days|number}}' },
    { label: '缺勤扣款', value: '{{absence_deduction|money}}' },
    { label: '应发工资', value: '{{gross_pay|money}}' },
    { label: '公积金基数', value: '{{hf_base|money}}' },
    { label: '个人养老', value: '{{ee_pension|money}}' },
    { label: '个人医疗', value: '{{ee_medical|money}}' },
    { label: '个人失业', value: '{{ee_unemployment|money}}' },
    { label: '个人公积金', value: '{{ee_housing_fund|money}}' },
    { label: '个人五险一金合计', value: '{{ee_total|money}}' },
    { label: '专项附加扣除', value: '{{special_deduction|money}}' },
    { label: '累计应纳税所得额', value: '{{cum_taxable|money}}' },
    { label: '累计应纳税额', value: '{{cum_tax|money}}' },
    { label: '本月个税', value: '{{iit|money}}' },
  ],
  totals: [
    { label: '实发工资', value: '{{$currency}}{{net_pay|money}}' },
    { label: '实发工资（大写）', value: '{{net_pay|capital}}' },
  ],
  footer: ['单位另为您缴纳五险一金 {{er_total|money}} 元（不从工资中扣除）。', '个人所得税按累计预扣法计算（第 {{tax_month}} 个月）。本工资条仅供本人查阅。'],
};

export function registerPayslipTemplate(): void {
  registerBuiltinTemplate('payslip', PAYSLIP_TEMPLATE);
}
