import { Anchor, Modal, createTheme, darken, type CSSVariablesResolver } from '@mantine/core';

/**
 * The console's theme, held to WCAG AA contrast (4.5:1 for text; axe-core checks every screen in the browser
 * tests). Mantine's defaults miss it in three places, fixed here rather than by silencing the check:
 * - filled buttons and badges: white on indigo 6 is 4.3:1, on indigo 8 it is 5.7:1, so the primary shade is 8; and
 *   with auto contrast, a filled colour lighter than luminance 0.18 (white on it is under 4.5:1, e.g. green 8 at
 *   3.4:1) gets dark text;
 * - light badges and coloured text: shade 9 on shade 1 is 4.3:1 for teal, 3.8:1 for green, 2.7:1 for yellow, so
 *   both use shade 9 darkened by 30 % (5:1 or more for every colour);
 * - dimmed text and placeholders: gray 6 is 3.3:1 on white (gray 5 2.1:1), gray 7 is 8:1 (7.6:1 on the page).
 * Links inside text are underlined: their colour alone is not 3:1 against the text around them.
 * Dialogs and menus open without their fade and scale for a user who asked the system for reduced motion (and a
 * half-faded dialog would be read by a screen reader or a contrast check at colours it never settles on).
 */
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 8, dark: 8 },
  autoContrast: true,
  respectReducedMotion: true,
  luminanceThreshold: 0.18,
  defaultRadius: 'md',
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  headings: { fontWeight: '650' },
  components: {
    Anchor: Anchor.extend({ defaultProps: { underline: 'always' } }),
    // The close button is an icon: without a name a screen reader announces just "button".
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
  },
});

export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-7)',
    ...Object.fromEntries(
      Object.keys(t.colors).flatMap((name) => {
        const readable = darken(t.colors[name][9], 0.3);
        return [
          [`--mantine-color-${name}-light-color`, readable],
          [`--mantine-color-${name}-text`, readable],
        ];
      }),
    ),
  },
  dark: {},
});
