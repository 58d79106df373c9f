// Staff pages, progressive enhancement only: MOJ Frontend's components (sortable table, filter) and the
// session timeout warning. Every page works without JavaScript.
import { initAll } from '/moj/all.bundle.mjs';
import { startTimeoutWarning } from '/public/staff-timeout.js';

initAll();
startTimeoutWarning(document.getElementById('staff-timeout'));
