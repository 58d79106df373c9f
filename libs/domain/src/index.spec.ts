// Other projects import @nolan/domain only through this entry point (docs/architecture.md "The shape"), so it
// must expose each module's public functions and keep internals such as the raw word list behind them.
import * as domain from './index';

describe('the @nolan/domain entry point', () => {
  it('exports the public API of every module', () => {
    for (const name of [
      'STAFF_ROLES',
      'HANDLER_ROLES',
      'ROLE_HOLDER_ROLES',
      'CATEGORIES',
      'getCategory',
      'applyTransition',
      'allowedTransitions',
      'routeCase',
      'DEFAULT_CONFLICT_ROUTES',
      'validateConflictRoutes',
      'computeSlaDates',
      'addWorkingDays',
      'englandAndWalesBankHolidays',
      'toLondonDate',
      'generateReceipt',
      'normaliseReceipt',
    ]) {
      expect(domain).toHaveProperty(name);
    }
    expect(domain).not.toHaveProperty('EFF_LONG_WORDLIST');
  });
});
