export * from './report.schemas.ts';
export { ReportService } from './report.service.ts';
export { PerformanceService } from './performance.service.ts';
