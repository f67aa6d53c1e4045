/**
 * Autodiff semantics and memory: tidy scopes, the tape's lifetime, gradient accumulation, and a
 * training loop whose live tensor count (CpuBackend.liveTensors) and tape length stay flat.
 */
import { describe, expect, test } from 'vitest';
import { EngineError, type RawTensor } from '../src/engine/backend';
import { CpuBackend } from '../src/engine/cpu/backend';
import { Engine } from '../src/engine/engine';
import * as ops from '../src/engine/ops';
import type { Tensor } from '../src/engine/tensor';
import { randomArray, seededRandom } from './helpers/finite-diff';

function setup(): { engine: Engine; backend: CpuBackend } {
  const backend = new CpuBackend();
  return { engine: new Engine(backend), backend };
}

describe('tidy', () => {
  test('releases intermediates, hands the result to the caller, and nests', async () => {
    const { engine, backend } = setup();
    const x = engine.keep(engine.tensor([1, 2, 3], [3]));
    const y = engine.tidy(() => {
      const inner = engine.tidy(() => ops.exp(ops.scale(x, 2))); // scale's output dies here
      expect(backend.liveTensors).toBe(2);
      return ops.add(inner, x); // inner dies with the outer scope
    });
    expect(backend.liveTensors).toBe(2);
    expect(Array.from(await y.read())).toEqual(
      Array.from([1, 2, 3], (v) => Math.fround(Math.fround(Math.exp(2 * v)) + v)),
    );
    y.dispose();
    expect(backend.liveTensors).toBe(1);
  });

  test('keeps the storage of disposed intermediates the tape needs, until nothing depends on them', () => {
    const { engine, backend } = setup();
    const x = engine.param(Float32Array.from([1, 2, 3]), [3]);
    const y = engine.tidy(() =>
      ops.add(
        engine.tidy(() => ops.exp(ops.scale(x, 2))),
        x,
      ),
    );
    expect(engine.tapeLength).toBe(3);
    expect(backend.liveTensors).toBe(4); // x, y, and the disposed scale and exp outputs held by the tape
    y.dispose();
    expect(engine.tapeLength).toBe(0);
    expect(backend.liveTensors).toBe(1);
  });

  test('keeps tensors passed to keep() and tensors inside returned arrays and objects', () => {
    const { engine, backend } = setup();
    let kept: Tensor | undefined;
    const result = engine.tidy(() => {
      kept = engine.keep(engine.fill([2], 1));
      engine.zeros([5]);
      return { pair: [engine.fill([1], 2), engine.fill([1], 3)], label: 'not a tensor' };
    });
    expect(backend.liveTensors).toBe(3);
    expect(kept!.disposed).toBe(false);
    expect(result.pair.every((t) => !t.disposed)).toBe(true);
  });

  test('releases everything when fn throws, and rejects async functions', () => {
    const { engine, backend } = setup();
    expect(() =>
      engine.tidy(() => {
        engine.fill([3], 1);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(backend.liveTensors).toBe(0);
    expect(() => engine.tidy(async () => engine.fill([1], 0))).toThrow('tidy: fn returned a Promise');
  });
});

describe('backward', () => {
  test('a [B] loss gives each batch member its own gradient (seeded with ones)', async () => {
    const { engine } = setup();
    const x = engine.param(Float32Array.from([1, 2, 3, -1, -2, -3]), [2, 3, 1]);
    const weights = engine.tensor([1, 10], [2, 1, 1]);
    // loss[b] = w_b · Σ x[b]² → dloss[b]/dx[b] = 2 w_b x[b]
    const loss = ops.reshape(ops.mul(ops.sum(ops.square(x), [1, 2]), weights), [2]);
    engine.backward(loss);
    expect(Array.from(await x.grad!.read())).toEqual([2, 4, 6, -20, -40, -60]);
  });

  test('accumulates over calls until zeroGrad, and only leaves receive .grad', async () => {
    const { engine, backend } = setup();
    const x = engine.param(Float32Array.from([3]), [1]);
    for (let i = 0; i < 2; i++) {
      engine.tidy(() => {
        const hidden = ops.square(x);
        engine.backward(ops.scale(hidden, 0.5)); // d/dx ½x² = x
        expect(hidden.grad).toBeNull();
      });
    }
    expect(Array.from(await x.grad!.read())).toEqual([6]);
    engine.zeroGrad([x]);
    expect(x.grad).toBeNull();
    expect(backend.liveTensors).toBe(1);
    expect(engine.tapeLength).toBe(0);
  });

  test('works after the tidy that built the loss has disposed its intermediates', async () => {
    const { engine, backend } = setup();
    const w = engine.param(Float32Array.from([0.5, -1, 2, 0.25]), [2, 2]);
    const x = engine.param(Float32Array.from([1, 2]), [1, 2]);
    const loss = engine.tidy(() => {
      const h = engine.tidy(() => ops.matmul(x, w, { activation: 'tanh' }));
      return ops.sum(ops.square(h));
    });
    engine.backward(loss);
    // h = tanh(x W); dL/dW = xᵀ (2h ⊙ (1 − h²))
    const pre = [1 * 0.5 + 2 * 2, 1 * -1 + 2 * 0.25];
    const h = pre.map(Math.tanh);
    const dPre = h.map((v) => 2 * v * (1 - v * v));
    const expected = [1 * dPre[0]!, 1 * dPre[1]!, 2 * dPre[0]!, 2 * dPre[1]!];
    const got = await w.grad!.read();
    expected.forEach((e, i) => expect(got[i]).toBeCloseTo(e, 5));
    loss.dispose();
    expect(engine.tapeLength).toBe(0);
    expect(backend.liveTensors).toBe(4); // w, x and their two gradients
  });

  test('the tape forgets ops whose results were all disposed without a backward pass', () => {
    const { engine, backend } = setup();
    const w = engine.param(Float32Array.from([1, 2]), [2]);
    engine.tidy(() => {
      ops.sum(ops.exp(w));
    });
    expect(engine.tapeLength).toBe(0);
    expect(backend.liveTensors).toBe(1);
  });

  test("a VJP's temporaries are released when it returns: only params and their grads stay", async () => {
    const { engine, backend } = setup();
    const x = engine.param(Float32Array.from([1, -2, 4]), [3]);
    const threshold = engine.param(Float32Array.from([0.5]), [1]);
    // abs makes three temporaries, sqrt one, div three, the broadcast maximum a reduce and a view
    const loss = engine.tidy(() => ops.sum(ops.div(ops.sqrt(ops.abs(x)), ops.maximum(x, threshold))));
    engine.backward(loss);
    loss.dispose();
    expect(engine.tapeLength).toBe(0);
    expect(backend.liveTensors).toBe(4); // x, threshold and their two gradients
    // d/dx of √|x| / max(x, t): at x = 4 (x > t) it is (½·x^−½·x − √x)/x² = −1/16
    expect((await x.grad!.read())[2]).toBeCloseTo(-1 / 16, 6);
  });

  test('a VJP that throws leaves nothing behind', () => {
    const { engine, backend } = setup();
    const x = engine.param(Float32Array.from([1, 2]), [2]);
    const y = engine.tidy(() => {
      const [raw] = engine.operands('failing', [x]);
      return engine.record('failing', [x], backend.unary('neg', raw!), (g, dy) => {
        g.unary('scale', dy, 3);
        throw new Error('rule failed');
      });
    });
    expect(() => engine.backward(y)).toThrow('rule failed');
    y.dispose();
    expect(backend.liveTensors).toBe(1);
  });

  test('noGrad records nothing, so backward has nothing to follow', () => {
    const { engine } = setup();
    const w = engine.param(Float32Array.from([1, 2]), [2]);
    const y = engine.noGrad(() => ops.sum(ops.square(w)));
    expect(engine.tapeLength).toBe(0);
    expect(y.requiresGrad).toBe(false);
    expect(() => engine.backward(y)).toThrow(
      'backward: loss [] depends on no tensor with requiresGrad (computed inside noGrad?)',
    );
  });
});

describe('errors', () => {
  test('using a disposed tensor names the op; tensors of different engines do not mix', async () => {
    const { engine } = setup();
    const a = engine.fill([2], 1);
    a.dispose();
    expect(() => ops.add(a, engine.fill([2], 1))).toThrow(new EngineError('add: input 0 [2] was disposed'));
    await expect(a.read()).rejects.toThrow('tensor [2] was disposed');
    const other = setup().engine.fill([2], 1);
    expect(() => ops.mul(engine.fill([2], 1), other)).toThrow('mul: input 1 [2] belongs to another engine');
  });

  test('shape errors from ops name both shapes', () => {
    const { engine } = setup();
    expect(() => ops.matmul(engine.zeros([3, 17, 5]), engine.zeros([3, 4, 2]))).toThrow(
      'matmul: inner dimensions differ: A [3,17,5] vs B [3,4,2]',
    );
    expect(() => ops.sub(engine.zeros([2, 3]), engine.zeros([4]))).toThrow(
      'sub: shapes do not broadcast: [2,3] vs [4]',
    );
    expect(() => ops.reshape(engine.zeros([2, 3]), [4])).toThrow(
      'reshape: cannot reshape [2,3] (6 values) to [4] (4 values)',
    );
  });
});

test('a 300-step Adam training loop keeps live tensors and the tape flat, and learns', async () => {
  const { engine, backend } = setup();
  const random = seededRandom(5);
  // B = 2 independent linear models fit y = x·w* from 17 samples of 3 features, full batch
  const [batch, rows, features] = [2, 17, 3];
  const x = engine.keep(engine.tensor(randomArray(random, batch * rows * features), [batch, rows, features]));
  const trueW = engine.keep(engine.tensor(randomArray(random, batch * features), [batch, features, 1]));
  const y = engine.keep(engine.noGrad(() => ops.matmul(x, trueW)));
  const w = engine.param(new Float32Array(batch * features), [batch, features, 1]);
  const bias = engine.param(new Float32Array(batch), [batch, 1, 1]);
  const params = [w, bias];
  const moments = params.map((p) => [backend.fill(p.shape, 0), backend.fill(p.shape, 0)] as [RawTensor, RawTensor]);

  const losses: number[][] = [];
  let liveAfterFirstStep = 0;
  for (let step = 1; step <= 300; step++) {
    const loss = engine.tidy(() => {
      const perMember = ops.mse(ops.matmul(x, w, { bias }), y);
      engine.backward(perMember);
      return engine.noGrad(() => ops.sum(perMember));
    });
    const sets = params.map((p, i) => ({ param: p.raw, grad: p.grad!.raw, m: moments[i]![0], v: moments[i]![1] }));
    backend.adamUpdate(sets, { lr: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8, step, weightDecay: 0 });
    engine.zeroGrad(params);
    if (step === 1 || step === 300) losses.push(Array.from(await loss.read()));
    loss.dispose();
    if (step === 1) liveAfterFirstStep = backend.liveTensors;
    expect(backend.liveTensors).toBe(liveAfterFirstStep);
    expect(engine.tapeLength).toBe(0);
  }
  // x, w*, y, two params, two moment pairs
  expect(liveAfterFirstStep).toBe(9);
  expect(losses[1]![0]!).toBeLessThan(1e-3 * losses[0]![0]!);
});
