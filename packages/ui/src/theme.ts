import { createTheme, type CSSVariablesResolver, type MantineTheme } from '@mantine/core';

/**
 * The EHRMS look: Mantine defaults with WCAG AA contrast. Mantine's default primary shade (6),
 * "dimmed" grey, error red and the text of "light" variants (badges, active nav links, light
 * alerts) fall below 4.5:1 on their backgrounds, so they are darkened; focus rings show for
 * keyboard users on every interactive element.
 */
export const ehrmsTheme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 5 },
  focusRing: 'auto',
  defaultRadius: 'sm',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  headings: { fontWeight: '650' },
});

export const ehrmsCssVariables: CSSVariablesResolver = (theme) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': theme.colors.gray[7] ?? '#495057',
    // Field error text: Mantine's red 6 is about 3.3:1 on white; red 9 is above 5:1.
    '--mantine-color-error': theme.colors.red[9] ?? '#c92a2a',
    ...lightVariantTextColors(theme),
  },
  dark: {},
});

/** AA body-text contrast, with a little margin for anti-aliasing. */
const TARGET_CONTRAST = 4.6;
// For each palette colour, the text colour of its "light" variant: shade 9, darkened until it
// reaches the target contrast against shade 2, which is at least as dark as the variant's
// background in any state (hovered, on a striped row).
function lightVariantTextColors(theme: MantineTheme): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, shades] of Object.entries(theme.colors)) {
    const text = shades[9];
    const background = shades[2];
    if (!text || !background || !isHex(text) || !isHex(background)) continue;
    let color = text;
    for (let amount = 0.05; contrast(color, background) < TARGET_CONTRAST && amount < 0.9; amount += 0.05) {
      color = darken(text, amount);
    }
    out[`--mantine-color-${name}-light-color`] = color;
  }
  return out;
}

type Rgb = [number, number, number];

const isHex = (color: string) => /^#[0-9a-f]{6}$/i.test(color);
const toRgb = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
const toHex = (rgb: Rgb) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
const darken = (hex: string, amount: number) => toHex(toRgb(hex).map((c) => c * (1 - amount)) as Rgb);

function luminance(hex: string): number {
  const [r, g, b] = toRgb(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
