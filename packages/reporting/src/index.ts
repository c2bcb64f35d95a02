// @mosaic/reporting — the report engine: definitions → SQL through the access layer,
// dashboards, KPI alerts, forecasts, Excel export.
export * from './report.schema.ts';
export { runReport, reportSql, prepareReport, parseDefinition, shapeResult, MAX_REPORT_ROWS, type ReportResult, type ResultColumn, type RunOptions } from './report.run.ts';
export { compileReport, rangeNode, type CompiledReport, type CompileInput } from './report.compile.ts';
export { resolveParams, substituteParams, resolveDateSpec, type ParamValues } from './report.params.ts';
export { previousWindow, addDays, addMonths, nextBucketStart, zonedDayStart, type DateWindow, type Shift } from './report.period.ts';
export { drillFilter } from './report.drill.ts';
export { toPivot, hasColumnDims, type PivotTable, type PivotHeader } from './report.pivot.ts';
export { objectsRead } from './report.objects.ts';
export { renderReportXlsx, resultToXlsx } from './report.xlsx.ts';
export { listReports, getReportOrThrow, createReport, updateReport, deleteReport, checkDefinition, type SavedReport } from './reports.service.ts';
export { CHART_TYPES, GLOBAL_FILTERS, ZWidget, ZCreateDashboard, ZUpdateDashboard, type TWidget, type GlobalFilterValues } from './dashboard.schema.ts';
export { listDashboards, getDashboardOrThrow, defaultDashboard, createDashboard, updateDashboard, deleteDashboard, type Dashboard } from './dashboards.service.ts';
export { dashboardData, dashboardDrill, dateFieldOf, type WidgetData } from './dashboard.data.ts';
export { dashboardFilterOptions, type FilterKind, type FilterOption, type FilterOptions } from './dashboard.filter-options.ts';
export { dashboardVersion, dashboardObjects, outboxVersion } from './dashboard.version.ts';
export { listAlerts, getAlertOrThrow, createAlert, updateAlert, deleteAlert, alertEvents, ALERT_OPS, type KpiAlert } from './alerts.service.ts';
export { evaluateAlert, onAlert, breaches, type AlertEvent, type AlertHook } from './alerts.evaluate.ts';
export { alertRaisedRows, rowDimensions, valueText, type RowDimension } from './alert-rows.ts';
export { installModuleAlert, type ModuleAlert } from './alerts.install.ts';
export { evaluateAlertAsOwner, evaluateAlertsOnEvents, evaluateDueAlerts, startAlertWorker, ALERTS_CONSUMER } from './alerts.worker.ts';
export { forecastSeries, meanAbsolutePercentageError, type ForecastResult, type ForecastPoint } from './forecast/holt-winters.ts';
export { forecastReport, type ReportForecast } from './forecast/forecast.service.ts';
export { COCKPIT_WIDGETS, COCKPIT_NAME, cockpitWidgets, installCockpit, refreshCockpit, type CockpitWidget } from './cockpit.ts';
