import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { refusedAddressClass } from '../../domain/target-address';
import { webhookUrlProblem } from '../../domain/webhook-url';
import { newWebhookSecret, signWebhook } from '../../domain/webhook-signature';
import { backoffMs, nextAttemptAt } from '../../domain/retry-backoff';
import { postWebhook, type SenderPolicy } from '../../activities/webhook-http';

describe('refused address classes (SSRF guard)', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fc00::1', 'private'],
    ['169.254.1.1', 'link_local'],
    ['fe80::1', 'link_local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['2001:db8::1', 'reserved'],
    // IPv4 inside IPv6: mapped (dotted and hex), compatible, NAT64
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:a00:1', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['[::ffff:192.168.0.1]', 'private'],
    ['not-an-ip', 'reserved'],
  ])('%s is %s', (address, kind) => {
    expect(refusedAddressClass(address)).toBe(kind);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('%s is public', (address) => {
    expect(refusedAddressClass(address)).toBeNull();
  });
});

describe('webhook URLs when saved', () => {
  const strict = { allowHttp: false, allowPrivate: false };
  it.each([
    ['http://example.com/hook', /https/],
    ['ftp://example.com/', /https/],
    ['not a url', /valid/],
    ['https://user:pw@example.com/', /credentials/],
    ['https://127.0.0.1/', /loopback/],
    ['https://0x7f000001/', /loopback/], // WHATWG parsing normalises the hex form
    ['https://[::ffff:127.0.0.1]/', /loopback/],
    ['https://169.254.169.254/latest/meta-data', /metadata/],
    ['https://[fd00:ec2::254]/', /metadata/],
    ['https://10.0.0.8/', /private/],
  ])('%s is refused', (url, why) => {
    expect(webhookUrlProblem(url, strict)).toMatch(why);
  });
  it('accepts a public https URL, and http or private addresses only when the settings allow them', () => {
    expect(webhookUrlProblem('https://hooks.example.com/x', strict)).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:8080/x', { allowHttp: true, allowPrivate: true })).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:8080/x', { allowHttp: true, allowPrivate: false })).toMatch(/loopback/);
  });
});

describe('signatures', () => {
  it('verify with the standardwebhooks reference implementation', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const body = JSON.stringify({ type: 'campaign.started', data: { campaignId: 'x', é: '✓' } });
    const now = Math.floor(Date.now() / 1000);
    const headers = signWebhook(secret, 'msg_1', now, body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(body + ' ', headers)).toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
  });
});

describe('retry backoff', () => {
  const schedule = { initialMs: 5_000, maxIntervalMs: 3_600_000, windowMs: 86_400_000 };
  it('doubles up to the cap and gives up past the window', () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(a, schedule))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(backoffMs(30, schedule)).toBe(3_600_000);
    expect(nextAttemptAt(0, 1_000, 1, schedule)).toBe(6_000);
    expect(nextAttemptAt(0, 86_000_000, 20, schedule)).toBeNull();
  });
});

describe('sending, at delivery time', () => {
  let server: http.Server;
  let port: number;
  let hits = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits++;
      if (req.url === '/redirect') res.writeHead(302, { location: 'http://127.0.0.1/elsewhere' }).end();
      else if (req.url === '/big') res.end('x'.repeat(1_000_000));
      else if (req.url === '/slow') setTimeout(() => res.end('late'), 2_000);
      else res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((r) => (server.close(r), server.closeAllConnections())));

  const policy = (over: Partial<SenderPolicy> = {}): SenderPolicy => ({
    allowHttp: true,
    allowPrivate: false,
    timeoutMs: 1_000,
    maxResponseBytes: 1024,
    resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    ...over,
  });

  it('refuses a public-looking host name that resolves to loopback when delivering, and sends nothing', async () => {
    hits = 0;
    const result = await postWebhook(`http://hooks.example.com:${port}/x`, {}, '{}', policy());
    expect(result).toMatchObject({ statusCode: null, refused: true });
    expect(result.error).toMatch(/loopback/);
    expect(hits).toBe(0);
  });

  it('refuses when any resolved address is internal (no picking the good one of a rebinding answer)', async () => {
    const resolve = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '169.254.169.254', family: 4 },
    ];
    expect(await postWebhook(`http://hooks.example.com:${port}/x`, {}, '{}', policy({ resolve }))).toMatchObject({
      refused: true,
      error: expect.stringMatching(/metadata/),
    });
  });

  it('refuses IP literals of every class without resolving', async () => {
    for (const host of ['127.0.0.1', '[::1]', '10.0.0.1', '169.254.169.254', '[::ffff:127.0.0.1]', '100.64.0.1', '224.0.0.1']) {
      expect(await postWebhook(`http://${host}:${port}/x`, {}, '{}', policy())).toMatchObject({ refused: true });
    }
  });

  it('with private targets allowed: connects to the checked address, follows no redirect, caps the answer, times out', async () => {
    const open = policy({ allowPrivate: true });
    expect(await postWebhook(`http://receiver.test:${port}/ok`, {}, '{}', open)).toEqual({ statusCode: 200, error: null, refused: false });
    expect(await postWebhook(`http://127.0.0.1:${port}/redirect`, {}, '{}', open)).toMatchObject({
      statusCode: 302,
      error: expect.stringMatching(/not followed/),
    });
    expect(await postWebhook(`http://127.0.0.1:${port}/big`, {}, '{}', open)).toMatchObject({ statusCode: 200, error: null });
    expect(await postWebhook(`http://127.0.0.1:${port}/slow`, {}, '{}', policy({ allowPrivate: true, timeoutMs: 200 }))).toMatchObject({
      statusCode: null,
      error: expect.stringMatching(/200 ms/),
    });
  });

  it('refuses http unless allowed', async () => {
    expect(await postWebhook(`http://127.0.0.1:${port}/ok`, {}, '{}', policy({ allowHttp: false, allowPrivate: true }))).toMatchObject({
      refused: true,
      error: expect.stringMatching(/https/),
    });
  });
});
