import { randomFillSync } from 'node:crypto';
import { checkCharacterFor } from './check-character';
import type { CodeSpec } from './code-spec';

/**
 * Draws uniformly random symbols from a CSPRNG without modulo bias: a random byte b is used only when
 * b < 256 - (256 mod N), so every symbol owns exactly the same number of byte values; other bytes are dropped.
 */
export class SymbolSampler {
  private readonly limit: number;
  private buffer = Buffer.alloc(0);
  private offset = 0;

  constructor(
    readonly alphabetSize: number,
    private readonly bufferSize = 64 * 1024,
  ) {
    if (alphabetSize < 2 || alphabetSize > 256) throw new RangeError('alphabet size must be 2..256');
    this.limit = 256 - (256 % alphabetSize);
  }

  next(): number {
    for (;;) {
      if (this.offset >= this.buffer.length) {
        if (this.buffer.length === 0) this.buffer = Buffer.alloc(this.bufferSize);
        randomFillSync(this.buffer);
        this.offset = 0;
      }
      const byte = this.buffer[this.offset++];
      if (byte < this.limit) return byte % this.alphabetSize;
    }
  }
}

/** Makes complete codes (prefix + random part + check character + suffix) of one spec. */
export class CodeGenerator {
  private readonly sampler: SymbolSampler;
  private readonly check;

  constructor(private readonly spec: CodeSpec) {
    this.sampler = new SymbolSampler(spec.alphabet.length);
    this.check = checkCharacterFor(spec.checkCharacter, spec.alphabet);
  }

  next(): string {
    const { alphabet, length } = this.spec;
    let random = '';
    for (let i = 0; i < length; i++) random += alphabet[this.sampler.next()];
    const check = this.check ? this.check.compute(random) : '';
    return this.spec.prefix + random + check + this.spec.suffix;
  }

  /** `count` distinct codes (duplicates inside the draw are redrawn; the database guards the rest). */
  distinct(count: number): Set<string> {
    const codes = new Set<string>();
    while (codes.size < count) codes.add(this.next());
    return codes;
  }
}
