import type { TCreateField, TCreateObject } from '@mosaic/meta';
import { ISO_WEEKDAYS_PATTERN } from '@mosaic/kernel';
import { TALENT_OBJECTS } from './talent/talent.objects.ts';

const opt = (value: string, zh: string, en: string) => ({ value, label: { zh, en } });
const label = (zh: string, en: string) => ({ zh, en });
const money = (apiName: string, zh: string, en: string, extra: Partial<TCreateField> = {}): TCreateField =>
  ({ apiName, type: 'decimal', label: label(zh, en), config: { precision: 18, scale: 2, min: 0 }, ...extra });
const rate = (apiName: string, zh: string, en: string, value: string): TCreateField =>
  ({ apiName, type: 'percent', label: label(zh, en), required: true, defaultValue: value, config: { min: 0, max: 1 } });
const HH_MM = '^([01]\\d|2[0-3]):[0-5]\\d$';
const PERIOD = '^\\d{4}-(0[1-9]|1[0-2])$';

/** 组织与人事: employees, the city contribution standards, salary structures, payroll. */
const PEOPLE: TCreateObject[] = [
  {
    apiName: 'social_insurance_policy', label: label('社保公积金标准', 'Social insurance policy'), module: 'hr', titleField: 'city',
    fields: [
      { apiName: 'city', type: 'text', label: label('城市', 'City'), required: true, unique: true },
      money('si_base_floor', '社保基数下限', 'SI base floor', { required: true }),
      money('si_base_ceiling', '社保基数上限', 'SI base ceiling', { required: true }),
      money('hf_base_floor', '公积金基数下限', 'Housing fund base floor', { required: true }),
      money('hf_base_ceiling', '公积金基数上限', 'Housing fund base ceiling', { required: true }),
      // Employee side (个人): pension 8 %, medical 2 %, unemployment 0.5 %, housing fund 5–12 %.
      rate('ee_pension_rate', '个人养老', 'Employee pension', '0.08'),
      rate('ee_medical_rate', '个人医疗', 'Employee medical', '0.02'),
      rate('ee_unemployment_rate', '个人失业', 'Employee unemployment', '0.005'),
      rate('ee_housing_fund_rate', '个人公积金', 'Employee housing fund', '0.12'),
      // Employer side (单位).
      rate('er_pension_rate', '单位养老', 'Employer pension', '0.16'),
      rate('er_medical_rate', '单位医疗', 'Employer medical', '0.095'),
      rate('er_unemployment_rate', '单位失业', 'Employer unemployment', '0.005'),
      rate('er_injury_rate', '单位工伤', 'Employer injury', '0.002'),
      rate('er_maternity_rate', '单位生育', 'Employer maternity', '0'),
      rate('er_housing_fund_rate', '单位公积金', 'Employer housing fund', '0.12'),
    ],
  },
  {
    apiName: 'shift', label: label('班次', 'Shift'), module: 'hr', titleField: 'name',
    fields: [
      { apiName: 'name', type: 'text', label: label('班次名称', 'Name'), required: true, unique: true },
      { apiName: 'start_time', type: 'text', label: label('上班时间', 'Start'), required: true, config: { regex: HH_MM } },
      { apiName: 'end_time', type: 'text', label: label('下班时间', 'End'), required: true, config: { regex: HH_MM } },
      { apiName: 'grace_minutes', type: 'integer', label: label('迟到宽限(分钟)', 'Grace minutes'), defaultValue: 0, config: { min: 0, max: 240 } },
      // The shift's week (1 = Monday): 单休 factories work "1,2,3,4,5,6". Attendance, leave and payroll
      // count its days (calendar/work-calendar.ts); a shift from before the field, blank, works Monday–Friday.
      { apiName: 'work_weekdays', type: 'text', label: label('工作日(1-7)', 'Working weekdays (1-7)'), defaultValue: '1,2,3,4,5', config: { regex: ISO_WEEKDAYS_PATTERN } },
    ],
  },
  {
    apiName: 'employee', label: label('员工', 'Employee'), module: 'hr', titleField: 'name', searchFields: ['employee_no', 'name'],
    listDefaults: { columns: ['employee_no', 'name', 'department', 'position', 'employment_status', 'hire_date', 'user'], sort: { field: 'employee_no', direction: 'asc' } },
    fields: [
      { apiName: 'employee_no', type: 'text', label: label('工号', 'Employee no.'), required: true, unique: true },
      { apiName: 'name', type: 'text', label: label('姓名', 'Name'), required: true },
      { apiName: 'user', type: 'user', label: label('系统用户', 'User') },
      { apiName: 'department', type: 'department', label: label('部门', 'Department') },
      { apiName: 'position', type: 'text', label: label('职位', 'Position') },
      { apiName: 'manager', type: 'link', label: label('直属上级', 'Manager'), config: { target: 'employee', onDelete: 'set_null' } },
      { apiName: 'employment_status', type: 'single_select', label: label('在职状态', 'Employment status'), required: true, defaultValue: 'active',
        config: { options: [opt('active', '在职', 'Active'), opt('left', '离职', 'Left')] } },
      { apiName: 'hire_date', type: 'date', label: label('入职日期', 'Hire date'), required: true },
      { apiName: 'leave_date', type: 'date', label: label('离职日期', 'Leaving date') },
      { apiName: 'contract_end', type: 'date', label: label('合同到期', 'Contract end') },
      { apiName: 'shift', type: 'link', label: label('班次', 'Shift'), config: { target: 'shift' } },
      // Which expense the salary is booked to (小企业会计准则): 管理费用 5602 or 销售费用 5601.
      { apiName: 'cost_category', type: 'single_select', label: label('费用归属', 'Cost category'), required: true, defaultValue: 'admin',
        config: { options: [opt('admin', '管理费用', 'Administrative'), opt('selling', '销售费用', 'Selling')] } },
      money('hourly_cost', '小时成本', 'Hourly cost'), // what an hour on a project costs (timesheets)
      money('special_deduction', '专项附加扣除(月)', 'Special additional deduction (monthly)', { defaultValue: '0' }),
    ],
  },
  {
    apiName: 'salary_structure', label: label('薪资结构', 'Salary structure'), module: 'hr', titleField: 'employee',
    fields: [
      { apiName: 'employee', type: 'link', label: label('员工', 'Employee'), required: true, unique: true, config: { target: 'employee', onDelete: 'cascade' } },
      money('base_salary', '基本工资', 'Base salary', { required: true }),
      { apiName: 'policy', type: 'link', label: label('社保公积金标准', 'SI policy'), required: true, config: { target: 'social_insurance_policy' } },
      money('si_base', '社保申报基数', 'Declared SI base', { required: true }),
      money('hf_base', '公积金申报基数', 'Declared housing fund base', { required: true }),
      { apiName: 'components', type: 'child_table', label: label('津贴补贴', 'Allowances'), config: { target: 'salary_component' } },
      { apiName: 'allowance_total', type: 'rollup', label: label('津贴合计', 'Allowances total'), config: { rollup: { relation: 'components', field: 'amount', fn: 'sum' } } },
    ],
  },
  {
    apiName: 'salary_component', label: label('薪资项目', 'Salary component'), module: 'hr', isChild: true, parentObject: 'salary_structure', titleField: 'name',
    fields: [
      { apiName: 'name', type: 'text', label: label('项目', 'Component'), required: true },
      money('amount', '金额', 'Amount', { required: true }),
    ],
  },
  {
    apiName: 'payroll_run', label: label('工资发放', 'Payroll run'), module: 'hr', isDocument: true, titleField: 'number',
    fields: [
      { apiName: 'number', type: 'auto_number', label: label('单号', 'Number'), config: { pattern: 'PR-{YYYY}-{####}' } },
      { apiName: 'period', type: 'text', label: label('工资月份', 'Period'), required: true, config: { regex: PERIOD } },
      { apiName: 'posting_date', type: 'date', label: label('记账日期', 'Posting date'), required: true },
      { apiName: 'employee_count', type: 'integer', label: label('人数', 'Employees'), defaultValue: 0 },
      money('gross_total', '应发合计', 'Gross total', { defaultValue: '0' }),
      money('net_total', '实发合计', 'Net total', { defaultValue: '0' }),
    ],
  },
  {
    apiName: 'payslip', label: label('工资条', 'Payslip'), module: 'hr', isDocument: true, titleField: 'employee_name',
    fields: [
      { apiName: 'payroll_run', type: 'link', label: label('工资发放', 'Payroll run'), required: true, config: { target: 'payroll_run', onDelete: 'cascade' } },
      { apiName: 'employee', type: 'link', label: label('员工', 'Employee'), required: true, config: { target: 'employee' } },
      { apiName: 'period', type: 'text', label: label('工资月份', 'Period'), required: true, config: { regex: PERIOD } },
      // The employee as they were when the payslip was calculated: the payslip prints them even for a
      // reader who may not open employee records (the employee_self role reads only its payslips).
      { apiName: 'employee_name', type: 'text', label: label('姓名', 'Name') },
      { apiName: 'employee_no', type: 'text', label: label('工号', 'Employee no.') },
      // Hired or leaving within the month, base and allowances are this share of the structure's
      // (employed ÷ month working days); base_salary and allowances are what was earned.
      { apiName: 'month_workdays', type: 'integer', label: label('当月工作日', 'Working days in month') },
      { apiName: 'employed_workdays', type: 'integer', label: label('在职工作日', 'Working days employed') },
      money('base_salary', '基本工资', 'Base salary'),
      money('allowances', '津贴补贴', 'Allowances'),
      { apiName: 'overtime_hours', type: 'decimal', label: label('加班小时', 'Overtime hours'), config: { precision: 10, scale: 2 } },
      money('overtime_pay', '加班费', 'Overtime pay'),
      { apiName: 'absence_days', type: 'decimal', label: label('缺勤天数', 'Absence days'), config: { precision: 10, scale: 2 } },
      money('absence_deduction', '缺勤扣款', 'Absence deduction'),
      money('gross_pay', '应发工资', 'Gross pay'),
      money('si_base', '社保基数', 'SI base'),
      money('hf_base', '公积金基数', 'Housing fund base'),
      money('ee_pension', '个人养老', 'Employee pension'),
      money('ee_medical', '个人医疗', 'Employee medical'),
      money('ee_unemployment', '个人失业', 'Employee unemployment'),
      money('ee_housing_fund', '个人公积金', 'Employee housing fund'),
      money('ee_total', '个人五险一金合计', 'Employee contributions'),
      money('er_pension', '单位养老', 'Employer pension'),
      money('er_medical', '单位医疗', 'Employer medical'),
      money('er_unemployment', '单位失业', 'Employer unemployment'),
      money('er_injury', '单位工伤', 'Employer injury'),
      money('er_maternity', '单位生育', 'Employer maternity'),
      money('er_housing_fund', '单位公积金', 'Employer housing fund'),
      money('er_total', '单位五险一金合计', 'Employer contributions'),
      money('special_deduction', '专项附加扣除', 'Special additional deduction'),
      { apiName: 'tax_month', type: 'integer', label: label('累计月数', 'Tax month') },
      money('cum_income', '累计收入', 'Cumulative income'),
      money('cum_contributions', '累计专项扣除', 'Cumulative contributions'),
      money('cum_special_deduction', '累计专项附加扣除', 'Cumulative special deductions'),
      money('cum_taxable', '累计应纳税所得额', 'Cumulative taxable income'),
      money('cum_tax', '累计应纳税额', 'Cumulative tax'),
      money('iit', '本月个税', 'Income tax'),
      { apiName: 'net_pay', type: 'decimal', label: label('实发工资', 'Net pay'), config: { precision: 18, scale: 2 } },
    ],
  },
];

/** 考勤与假期: daily attendance, leave types, balances and requests. */
const TIME_AND_LEAVE: TCreateObject[] = [
  {
    apiName: 'attendance', label: label('考勤记录', 'Attendance'), module: 'hr', titleField: 'date',
    fields: [
      { apiName: 'employee', type: 'link', label: label('员工', 'Employee'), required: true, config: { target: 'employee', onDelete: 'cascade' } },
      { apiName: 'date', type: 'date', label: label('日期', 'Date'), required: true, indexed: true },
      { apiName: 'shift', type: 'link', label: label('班次', 'Shift'), config: { target: 'shift' } },
      { apiName: 'first_in', type: 'text', label: label('上班打卡', 'First punch'), config: { regex: HH_MM } },
      { apiName: 'last_out', type: 'text', label: label('下班打卡', 'Last punch'), config: { regex: HH_MM } },
      { apiName: 'late_minutes', type: 'integer', label: label('迟到(分钟)', 'Late minutes'), defaultValue: 0, config: { min: 0 } },
      { apiName: 'early_minutes', type: 'integer', label: label('早退(分钟)', 'Early-leave minutes'), defaultValue: 0, config: { min: 0 } },
      { apiName: 'day_status', type: 'single_select', label: label('出勤状态', 'Day status'), required: true, defaultValue: 'present',
        config: { options: [opt('present', '正常', 'Present'), opt('late', '迟到', 'Late'), opt('early', '早退', 'Left early'), opt('late_early', '迟到且早退', 'Late and early'), opt('absent', '旷工', 'Absent'), opt('leave', '请假', 'On leave')] } },
      { apiName: 'overtime_hours', type: 'decimal', label: label('加班小时', 'Overtime hours'), defaultValue: '0', config: { precision: 10, scale: 2, min: 0 } },
      { apiName: 'overtime_kind', type: 'single_select', label: label('加班类型', 'Overtime kind'), defaultValue: 'workday',
        config: { options: [opt('workday', '工作日加班', 'Working day'), opt('rest_day', '休息日加班', 'Rest day'), opt('holiday', '法定节假日加班', 'Public holiday')] } },
    ],
  },
  {
    apiName: 'leave_type', label: label('假期类型', 'Leave type'), module: 'hr', titleField: 'name',
    fields: [
      { apiName: 'name', type: 'text', label: label('名称', 'Name'), required: true, unique: true },
      { apiName: 'annual_days', type: 'decimal', label: label('每年天数', 'Days a year'), required: true, defaultValue: '0', config: { precision: 6, scale: 2, min: 0, max: 366 } },
      { apiName: 'accrual', type: 'single_select', label: label('累积方式', 'Accrual'), required: true, defaultValue: 'monthly',
        config: { options: [opt('monthly', '按月累积', 'Monthly'), opt('yearly', '年初一次发放', 'Once a year'), opt('none', '不限额', 'No balance')] } },
      { apiName: 'paid', type: 'boolean', label: label('带薪', 'Paid'), defaultValue: true },
    ],
  },
  {
    apiName: 'leave_balance', label: label('假期余额', 'Leave balance'), module: 'hr', titleField: 'leave_type',
    fields: [
      { apiName: 'employee', type: 'link', label: label('员工', 'Employee'), required: true, config: { target: 'employee', onDelete: 'cascade' } },
      { apiName: 'leave_type', type: 'link', label: label('假期类型', 'Leave type'), required: true, config: { target: 'leave_type' } },
      { apiName: 'year', type: 'integer', label: label('年度', 'Year'), required: true, config: { min: 2000, max: 2100 } },
      { apiName: 'accrued', type: 'decimal', label: label('已累积', 'Accrued'), defaultValue: '0', config: { precision: 8, scale: 2 } },
      { apiName: 'used', type: 'decimal', label: label('已使用', 'Used'), defaultValue: '0', config: { precision: 8, scale: 2 } },
      { apiName: 'balance', type: 'formula', label: label('余额', 'Balance'), config: { formula: 'accrued - used' } },
      { apiName: 'accrued_through', type: 'text', label: label('累积至', 'Accrued through'), config: { regex: PERIOD } },
    ],
  },
  {
    apiName: 'leave_request', label: label('请假申请', 'Leave request'), module: 'hr', isDocument: true, titleField: 'number',
    fields: [
      { apiName: 'number', type: 'auto_number', label: label('单号', 'Number'), config: { pattern: 'LV-{YYYY}-{#####}' } },
      { apiName: 'employee', type: 'link', label: label('员工', 'Employee'), required: true, config: { target: 'employee' } },
      { apiName: 'leave_type', type: 'link', label: label('假期类型', 'Leave type'), required: true, config: { target: 'leave_type' } },
      { apiName: 'from_date', type: 'date', label: label('开始日期', 'From'), required: true },
      { apiName: 'to_date', type: 'date', label: label('结束日期', 'To'), required: true },
      { apiName: 'days', type: 'decimal', label: label('天数', 'Days'), required: true, config: { precision: 6, scale: 2, min: '0.5' } },
      { apiName: 'reason', type: 'long_text', label: label('事由', 'Reason') },
    ],
    rules: [{ name: 'dates_in_order', formula: 'to_date >= from_date', message: label('结束日期不能早于开始日期', 'The end date must not be before the start date'), field: 'to_date' }],
  },
];

export const HR_OBJECTS: TCreateObject[] = [...PEOPLE, ...TIME_AND_LEAVE, ...TALENT_OBJECTS];
