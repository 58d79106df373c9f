// Public API of @nolan/domain: pure rules with no framework and no I/O (docs/architecture.md "The shape",
// libs/domain).
export * from './lib/roles';
export * from './lib/categories';
export * from './lib/lifecycle';
export * from './lib/routing';
export * from './lib/role-confirmation';
export * from './lib/exclusions';
export * from './lib/local-date';
export * from './lib/bank-holidays';
export * from './lib/sla';
export * from './lib/receipts';
export * from './lib/intake-form';
export * from './lib/retention';
export * from './lib/suppression';
export * from './lib/statistics';
export * from './lib/figure-visibility';
export * from './lib/council-sla';
export * from './lib/timeline-words';
export * from './lib/reporter-batch';
export * from './lib/sla-clocks';
export * from './lib/recommendations';
export * from './lib/namings';
export * from './lib/hourly-tally';
