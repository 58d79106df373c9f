// Public API of @nolan/contract: the shapes of Nolan's HTTP API, shared by the API (which returns them)
// and the portal (which reads them), so neither side keeps a hand-made copy of the other
// (docs/architecture.md, "The contract"). Types only: nothing here runs, decrypts or talks to anything.
export * from './lib/version';
export * from './lib/errors';
export * from './lib/page';
export * from './lib/sessions';
export * from './lib/form';
export * from './lib/reports';
export * from './lib/reporter-case';
export * from './lib/case-list';
export * from './lib/case-actions';
export * from './lib/admin-users';
export * from './lib/routing';
export * from './lib/policy';
export * from './lib/oversight';
export * from './lib/operations';
export * from './lib/transitions';
export * from './lib/dashboard';
export * from './lib/assignees';
export * from './lib/case-view';
export * from './lib/timeline';
export * from './lib/recommendations';
