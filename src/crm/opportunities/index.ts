export * from './opportunity.schemas.ts';
export { OpportunityService, missingCriterion } from './opportunity.service.ts';
export { StageService } from './stage.service.ts';
