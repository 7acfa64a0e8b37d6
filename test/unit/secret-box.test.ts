import { SecretBox } from '../../domain/secret-box';

const oldKey = SecretBox.newKey();
const newKey = SecretBox.newKey();

describe('SecretBox: webhook secrets at rest', () => {
  const box = SecretBox.fromSetting(oldKey);

  test('seals to a value that does not hold the secret, and opens it again', () => {
    const sealed = box.seal('whsec_c2VjcmV0LXNpZ25pbmcta2V5');
    expect(sealed).toMatch(/^enc:v1:[0-9a-f]{8}:/);
    expect(sealed).not.toContain('whsec_');
    expect(sealed).not.toContain('c2VjcmV0LXNpZ25pbmcta2V5');
    expect(box.open(sealed)).toBe('whsec_c2VjcmV0LXNpZ25pbmcta2V5');
    expect(box.seal('same')).not.toBe(box.seal('same')); // a fresh IV each time
  });

  test('a plaintext from before encryption opens as it is and asks to be sealed', () => {
    expect(box.open('whsec_legacy')).toBe('whsec_legacy');
    expect(box.needsResealing('whsec_legacy')).toBe(true);
    expect(box.needsResealing(box.seal('x'))).toBe(false);
  });

  test('rotation: the new key seals, the old one still opens, old seals ask to be re-sealed', () => {
    const rotated = SecretBox.fromSetting(`${newKey},${oldKey}`);
    const sealedBefore = box.seal('s1');
    expect(rotated.open(sealedBefore)).toBe('s1');
    expect(rotated.needsResealing(sealedBefore)).toBe(true);
    expect(rotated.needsResealing(rotated.seal('s1'))).toBe(false);
    expect(() => SecretBox.fromSetting(newKey).open(sealedBefore)).toThrow(/no longer holds/);
  });

  test('a tampered value is refused', () => {
    const sealed = box.seal('secret');
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => box.open(tampered)).toThrow();
  });

  test.each([undefined, '', 'short', `${oldKey},abc`])('setting %j is refused with the way to make one', (setting) => {
    expect(() => SecretBox.fromSetting(setting)).toThrow(/openssl rand -base64 32/);
  });
});
