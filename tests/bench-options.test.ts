/** `bench` flags: the profile mode and its options, and refusals. */
import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../bench/options';

describe('bench options', () => {
  it('--profile takes a shape, a batch size and epochs, with defaults', () => {
    expect(parseBenchArgs(['--profile']).profile).toEqual({ shape: 'shipped', batch: 1, epochs: 20 });
    expect(parseBenchArgs(['--profile', '--shape', 'paper', '--batch', '64', '--epochs', '5']).profile).toEqual({
      shape: 'paper',
      batch: 64,
      epochs: 5,
    });
    expect(parseBenchArgs(['--quick']).profile).toBeUndefined();
  });

  it('refuses profile options without --profile and bad values', () => {
    expect(() => parseBenchArgs(['--batch', '4'])).toThrow(/only apply with --profile/);
    expect(() => parseBenchArgs(['--profile', '--shape', 'huge'])).toThrow(/shipped or paper/);
    expect(() => parseBenchArgs(['--profile', '--batch', '0'])).toThrow(/whole number/);
    expect(() => parseBenchArgs(['--profile', '--epochs', '2.5'])).toThrow(/whole number/);
  });
});
