import type { TCreateObject } from '@mosaic/meta';

const opt = (value: string, zh: string, en: string) => ({ value, label: { zh, en } });
const label = (zh: string, en: string) => ({ zh, en });

export const APPRAISAL_STAGES = [opt('draft', '草稿', 'Draft'), opt('self_review', '自评', 'Self review'), opt('manager_review', '上级评价', 'Manager review'), opt('done', '已完成', 'Done')];
export const CANDIDATE_STAGES = [opt('applied', '已投递', 'Applied'), opt('screening', '筛选', 'Screening'), opt('interview', '面试', 'Interview'),
  opt('offer', '录用通知', 'Offer'), opt('hired', '已入职', 'Hired'), opt('rejected', '未通过', 'Rejected')];

/** 绩效与招聘, in their simplest useful form: appraisals with weighted goals, openings and candidates moving through stages. */
export const TALENT_OBJECTS: TCreateObject[] = [
  {
    apiName: 'appraisal', label: label('绩效考核', 'Appraisal'), module: 'hr', titleField: 'period',
    fields: [
      { apiName: 'employee', type: 'link', label: label('员工', 'Employee'), required: true, config: { target: 'employee', onDelete: 'cascade' } },
      { apiName: 'reviewer', type: 'user', label: label('考核人', 'Reviewer') },
      { apiName: 'period', type: 'text', label: label('考核周期', 'Period'), required: true, config: { regex: '^\\d{4}(-(Q[1-4]|H[12]|0[1-9]|1[0-2]))?$' } },
      { apiName: 'stage', type: 'single_select', label: label('阶段', 'Stage'), required: true, defaultValue: 'draft', config: { options: APPRAISAL_STAGES } },
      { apiName: 'goals', type: 'child_table', label: label('考核目标', 'Goals'), config: { target: 'appraisal_goal' } },
      { apiName: 'total_weight', type: 'rollup', label: label('权重合计', 'Total weight'), config: { rollup: { relation: 'goals', field: 'weight', fn: 'sum' } } },
      { apiName: 'score', type: 'rollup', label: label('综合得分', 'Score'), config: { rollup: { relation: 'goals', field: 'weighted_score', fn: 'sum' } } },
      { apiName: 'comment', type: 'long_text', label: label('评语', 'Comment') },
    ],
  },
  {
    apiName: 'appraisal_goal', label: label('考核目标', 'Goal'), module: 'hr', isChild: true, parentObject: 'appraisal', titleField: 'goal',
    fields: [
      { apiName: 'goal', type: 'text', label: label('目标', 'Goal'), required: true },
      { apiName: 'weight', type: 'percent', label: label('权重', 'Weight'), required: true, config: { min: 0, max: 1 } },
      { apiName: 'self_score', type: 'decimal', label: label('自评分', 'Self score'), config: { precision: 5, scale: 1, min: 0, max: 100 } },
      { apiName: 'manager_score', type: 'decimal', label: label('上级评分', 'Manager score'), config: { precision: 5, scale: 1, min: 0, max: 100 } },
      { apiName: 'weighted_score', type: 'formula', label: label('加权得分', 'Weighted score'), config: { formula: 'ROUND(weight * COALESCE(manager_score, 0), 2)' } },
    ],
  },
  {
    apiName: 'job_opening', label: label('招聘职位', 'Job opening'), module: 'hr', titleField: 'title',
    fields: [
      { apiName: 'title', type: 'text', label: label('职位', 'Title'), required: true },
      { apiName: 'department', type: 'department', label: label('部门', 'Department') },
      { apiName: 'hiring_manager', type: 'user', label: label('用人经理', 'Hiring manager') },
      { apiName: 'positions', type: 'integer', label: label('招聘人数', 'Positions'), required: true, defaultValue: 1, config: { min: 1, max: 1000 } },
      { apiName: 'opening_status', type: 'single_select', label: label('状态', 'Status'), required: true, defaultValue: 'open',
        config: { options: [opt('open', '招聘中', 'Open'), opt('on_hold', '暂停', 'On hold'), opt('closed', '已关闭', 'Closed')] } },
      { apiName: 'description', type: 'long_text', label: label('职位描述', 'Description') },
    ],
  },
  {
    apiName: 'candidate', label: label('候选人', 'Candidate'), module: 'hr', titleField: 'name', searchFields: ['name', 'phone', 'email'],
    fields: [
      { apiName: 'name', type: 'text', label: label('姓名', 'Name'), required: true },
      { apiName: 'phone', type: 'phone', label: label('手机', 'Phone') },
      { apiName: 'email', type: 'email', label: label('邮箱', 'Email') },
      { apiName: 'job_opening', type: 'link', label: label('应聘职位', 'Job opening'), required: true, config: { target: 'job_opening' } },
      { apiName: 'stage', type: 'single_select', label: label('阶段', 'Stage'), required: true, defaultValue: 'applied', config: { options: CANDIDATE_STAGES } },
      { apiName: 'source', type: 'single_select', label: label('来源', 'Source'),
        config: { options: [opt('referral', '内推', 'Referral'), opt('job_board', '招聘网站', 'Job board'), opt('campus', '校园招聘', 'Campus'), opt('headhunter', '猎头', 'Headhunter')] } },
      { apiName: 'resume', type: 'attachment', label: label('简历', 'Résumé') },
      { apiName: 'interview_notes', type: 'long_text', label: label('面试记录', 'Interview notes') },
    ],
  },
];
