// Counter-based random numbers, bit-compatible with src/engine/philox.ts (the contract is in
// src/engine/backend.ts): Philox4x32-10 words → uniforms in (0, 1] → Box–Muller normals.

// Invocations per workgroup; launch code reads it back from @workgroup_size by reflection.
const LANES: u32 = 256u;

const M0: u32 = 0xD2511F53u;
const M1: u32 = 0xCD9E8D57u;
const W0: u32 = 0x9E3779B9u;
const W1: u32 = 0xBB67AE85u;
// Second key word and the third counter word of each stream (backend.ts).
const KEY_HI: u32 = 0x2545F491u;
const UNIFORM_STREAM: u32 = 0xC0FFEEu;
const NORMAL_STREAM: u32 = 0xB0C5u;

// High 32 bits of the 64-bit product a·b. WGSL has no 64-bit integers, so split both factors
// into 16-bit halves: a·b = aH·bH·2³² + (aH·bL + aL·bH)·2¹⁶ + aL·bL, every partial < 2³²;
// the carry into bit 32 is ((aL·bL ≫ 16) + low16(aL·bH) + low16(aH·bL)) ≫ 16 (< 3·2¹⁶, no wrap).
// The low 32 bits are plain wrapping u32 multiplication, a·b.
fn mul_hi(a: u32, b: u32) -> u32 {
  let a_lo = a & 0xFFFFu;
  let a_hi = a >> 16u;
  let b_lo = b & 0xFFFFu;
  let b_hi = b >> 16u;
  let lo_lo = a_lo * b_lo;
  let lo_hi = a_lo * b_hi;
  let hi_lo = a_hi * b_lo;
  let carry = ((lo_lo >> 16u) + (lo_hi & 0xFFFFu) + (hi_lo & 0xFFFFu)) >> 16u;
  return a_hi * b_hi + (lo_hi >> 16u) + (hi_lo >> 16u) + carry;
}

// Philox4x32-10: 10 rounds of (c0, c1, c2, c3) ← (hi(M1·c2) ⊕ c1 ⊕ k0, lo(M1·c2),
// hi(M0·c0) ⊕ c3 ⊕ k1, lo(M0·c0)), the key bumped by (W0, W1) between rounds.
fn philox4x32(counter: vec4u, key: vec2u) -> vec4u {
  var c = counter;
  var k = key;
  for (var round = 0u; round < 10u; round++) {
    if (round > 0u) { k += vec2u(W0, W1); }
    c = vec4u(mul_hi(M1, c.z) ^ c.y ^ k.x, M1 * c.z, mul_hi(M0, c.x) ^ c.w ^ k.y, M0 * c.x);
  }
  return c;
}

// u = ((bits ≫ 8) + ½)·2⁻²⁴ rounded to nearest-even float32, in exact integer steps (WGSL lets
// float + and u32→f32 round either way). With m = bits ≫ 8: u = (2m + 1)·2⁻²⁵; below 2²³ the
// odd 2m + 1 < 2²⁴ is exact; from 2²³ it needs 25 bits and sits halfway between m·2⁻²⁴ and
// (m + 1)·2⁻²⁴, so ties-to-even picks the even one, (m + (m & 1))·2⁻²⁴ (2²⁴·2⁻²⁴ = 1 at the top).
fn uniform_from_bits(bits: u32) -> f32 {
  let m = bits >> 8u;
  if (m < 0x800000u) { return f32(2u * m + 1u) * 2.98023223876953125e-8; }
  return f32(m + (m & 1u)) * 5.9604644775390625e-8;
}

// Box–Muller takes the exact cell centres u = (2m + 1)·2⁻²⁵ (m = bits ≫ 8), as the cpu reference
// does in float64, not their float32 roundings: near u1 = 1 rounding would move −ln u1 by up to 50%.

// −ln u1 at the centre u1 = odd·2⁻²⁵. WGSL's log is only held to 2⁻²¹ absolute error on [0.5, 2],
// too coarse once −ln u1 is tiny, so for u1 ≥ ¾ use −ln u1 = 2·atanh(s) = 2(s + s³/3 + s⁵/5 + s⁷/7
// + s⁹/9 + …), s = d/(2 − d) ≤ 1/7 with d = 1 − u1 = (2²⁵ − odd)·2⁻²⁵ exact (2²⁵ − odd ≤ 2²³);
// truncation < 3·10⁻¹⁰ relative. Below ¾, |ln u1| > 0.28 and log's error is < 2·10⁻⁶ relative.
fn neg_log_centre(bits: u32) -> f32 {
  let odd = 2u * (bits >> 8u) + 1u;
  if (odd < 0x1800000u) { return -log(f32(odd) * 2.98023223876953125e-8); }
  let d = f32(0x2000000u - odd) * 2.98023223876953125e-8;
  let s = d / (2.0 - d);
  let s2 = s * s;
  return 2.0 * s * (1.0 + s2 * (1.0 / 3.0 + s2 * (1.0 / 5.0 + s2 * (1.0 / 7.0 + s2 / 9.0))));
}

// Box–Muller, cosine branch: ε = √(−2 ln u1)·cos(2π u2). cos(2π u2) = −cos(2π(u2 − ½)) keeps the
// argument in (−π, π], where WGSL's cos is specified; u2 − ½ = (odd − 2²⁴)·2⁻²⁵ is exact in f32.
fn box_muller(bits1: u32, bits2: u32) -> f32 {
  let odd_minus_half = bitcast<i32>(2u * (bits2 >> 8u) + 1u - 0x1000000u); // odd − 2²⁴, |·| < 2²⁴
  let half_offset = f32(odd_minus_half) * 2.98023223876953125e-8;
  return -sqrt(2.0 * neg_log_centre(bits1)) * cos(6.283185307179586 * half_offset);
}

struct RandomParams {
  members: u32,    // B
  per_member: u32, // elements per batch member
  blocks: u32,     // Philox blocks per member: ⌈per_member/4⌉ (uniform), ⌈per_member/2⌉ (normal)
  step: u32,
  step_from_buffer: u32, // 1: the step is step_value[0] (a whole number in float32), not `step`
}

@group(0) @binding(0) var<storage, read> seeds: array<u32>;
@group(0) @binding(1) var<uniform> params: RandomParams;
@group(0) @binding(7) var<storage, read> step_value: array<f32>;

// Philox block `block_index` of member b: counter (block_index, step, stream, 0), key (seeds[b], KEY_HI).
fn member_block(b: u32, block_index: u32, stream: u32) -> vec4u {
  let step = select(params.step, u32(step_value[0]), params.step_from_buffer != 0u);
  return philox4x32(vec4u(block_index, step, stream, 0u), vec2u(seeds[b], KEY_HI));
}

@group(0) @binding(2) var<storage, read_write> uniforms: array<f32>;

// uniforms[b, i] = uniform_from_bits(word i & 3 of block i ≫ 2): one lane per block of 4 uniforms.
@compute @workgroup_size(LANES)
fn random_uniform(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
                  @builtin(local_invocation_index) lane: u32) {
  let id = (wg.y * groups.x + wg.x) * LANES + lane;
  if (id >= params.members * params.blocks) { return; }
  let b = id / params.blocks;
  let block_index = id % params.blocks;
  let words = member_block(b, block_index, UNIFORM_STREAM);
  for (var j = 0u; j < 4u; j++) {
    let i = 4u * block_index + j;
    if (i < params.per_member) { uniforms[b * params.per_member + i] = uniform_from_bits(words[j]); }
  }
}

@group(0) @binding(3) var<storage, read> mu: array<f32>;
@group(0) @binding(4) var<storage, read> log_var: array<f32>;
@group(0) @binding(5) var<storage, read_write> z: array<f32>;
@group(0) @binding(6) var<storage, read_write> eps: array<f32>;

// Elements 2p and 2p + 1 of member b take words (0, 1) and (2, 3) of block p:
// ε = box_muller(w0, w1), z = μ + exp(½·logσ²)·ε. One lane per block of 2 normals.
@compute @workgroup_size(LANES)
fn reparameterize(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) groups: vec3u,
                  @builtin(local_invocation_index) lane: u32) {
  let id = (wg.y * groups.x + wg.x) * LANES + lane;
  if (id >= params.members * params.blocks) { return; }
  let b = id / params.blocks;
  let block_index = id % params.blocks;
  let words = member_block(b, block_index, NORMAL_STREAM);
  for (var j = 0u; j < 2u; j++) {
    let i = 2u * block_index + j;
    if (i < params.per_member) {
      let at = b * params.per_member + i;
      let e = box_muller(words[2u * j], words[2u * j + 1u]);
      eps[at] = e;
      z[at] = mu[at] + exp(0.5 * log_var[at]) * e;
    }
  }
}
