import { setNonce } from 'get-nonce';

/**
 * The nonce the API put in this page's Content-Security-Policy (api/console-static.ts): Mantine, CodeMirror and
 * the scroll lock of Mantine's dialogs (react-remove-scroll, which asks `get-nonce`) write <style> elements, and
 * the policy admits only those that carry it. Empty when served without one (a dev server), where no policy applies.
 */
export const cspNonce = document.querySelector('meta[name="csp-nonce"]')?.getAttribute('content') ?? '';
if (cspNonce) setNonce(cspNonce);
