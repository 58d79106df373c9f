// The session timeout warning. The API ends a staff session after a period of inactivity (its idle
// timeout, given at sign-in and put on the dialog as data-idle-seconds); each page load renews it. Two
// minutes before the end (or half the time, if shorter) a modal dialog says so and offers to stay signed
// in (a request that renews the session) or to sign out. If nothing is chosen, the page signs out
// itself just before the API would, and says why. Without JavaScript none of this runs and the next
// page after the timeout asks the user to sign in again.

const WARN_BEFORE_MS = 2 * 60 * 1000;
const SIGN_OUT_MARGIN_MS = 5 * 1000;

function spoken(ms) {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  }
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}

export function startTimeoutWarning(dialog) {
  if (!dialog || typeof dialog.showModal !== 'function') return;
  const idleMs = Number(dialog.dataset.idleSeconds) * 1000;
  if (!Number.isFinite(idleMs) || idleMs <= 0) return;
  const warnBefore = Math.min(WARN_BEFORE_MS, idleMs / 2);
  const countdown = dialog.querySelector('[data-staff-timeout-countdown]');
  const stay = dialog.querySelector('[data-staff-timeout-stay]');
  let deadline = 0;
  let timers = [];

  const clear = () => {
    for (const timer of timers) clearTimeout(timer), clearInterval(timer);
    timers = [];
  };
  const signOut = () => window.location.assign('/staff/sign-out?timeout=1');
  const tick = () => {
    if (countdown) countdown.textContent = spoken(deadline - Date.now());
  };
  const warn = () => {
    tick();
    dialog.showModal();
    // Update the visible countdown often, but not so often that a screen reader repeats it.
    timers.push(setInterval(tick, 1000));
  };
  const schedule = () => {
    clear();
    deadline = Date.now() + idleMs - SIGN_OUT_MARGIN_MS;
    timers.push(setTimeout(warn, idleMs - SIGN_OUT_MARGIN_MS - warnBefore));
    timers.push(setTimeout(signOut, idleMs - SIGN_OUT_MARGIN_MS));
  };
  const keepAlive = async () => {
    try {
      const response = await fetch('/staff/keep-alive', { credentials: 'same-origin', redirect: 'manual' });
      if (response.status !== 204) return signOut();
      if (dialog.open) dialog.close();
      schedule();
    } catch {
      signOut();
    }
  };

  stay?.addEventListener('click', keepAlive);
  // Escape closes a modal dialog: treat it as "stay signed in", the least surprising choice.
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    keepAlive();
  });
  schedule();
}
