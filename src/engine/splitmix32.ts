/**
 * splitmix32, the small seeded integer stream that seeds the project's other generators:
 * s ← s + 0x9e3779b9 (a Weyl sequence); z = s; z = (z ⊕ z>>>16)·0x85ebca6b; z = (z ⊕ z>>>13)·0xc2b2ae35;
 * output z ⊕ z>>>16 (murmur3's 32-bit finaliser). Same seed, same numbers on every machine.
 */
export function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}
