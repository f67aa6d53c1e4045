/**
 * The smallest ONNX model there is: one MatMul node, c = a·b with numpy broadcasting over the
 * leading batch dimension, float32 inputs of fixed shapes. Encoded here as protobuf bytes (the
 * few fields it needs), so the bench needs no model file and no protobuf library:
 *
 *   ModelProto         { ir_version = 1, producer_name = 2, graph = 7, opset_import = 8 }
 *   OperatorSetIdProto { version = 2 }
 *   GraphProto         { node = 1, name = 2, input = 11, output = 12 }
 *   NodeProto          { input = 1, output = 2, op_type = 4 }
 *   ValueInfoProto     { name = 1, type = 2 };  TypeProto { tensor_type = 1 }
 *   TypeProto.Tensor   { elem_type = 1 (FLOAT = 1), shape = 2 };  TensorShapeProto { dim = 1 { dim_value = 1 } }
 */

/** Protobuf wire types: 0 varint, 2 length-delimited. */
const VARINT = 0;
const BYTES = 2;
const FLOAT = 1;
const IR_VERSION = 8;
const OPSET = 17;

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    const low = v % 128;
    v = Math.floor(v / 128);
    out.push(v > 0 ? low | 128 : low);
  } while (v > 0);
  return out;
}

const key = (field: number, wire: number) => varint(field * 8 + wire);
const int = (field: number, value: number) => [...key(field, VARINT), ...varint(value)];
const bytes = (field: number, data: readonly number[]) => [...key(field, BYTES), ...varint(data.length), ...data];
const text = (field: number, s: string) => bytes(field, [...new TextEncoder().encode(s)]);

function tensorInfo(name: string, shape: readonly number[]): number[] {
  const dims = shape.flatMap((d) => bytes(1, int(1, d)));
  return [...text(1, name), ...bytes(2, bytes(1, [...int(1, FLOAT), ...bytes(2, dims)]))];
}

/** The model bytes for c [..] = a [..] · b [..] (inputs named "a" and "b", output "c"). */
export function onnxMatmulModel(a: readonly number[], b: readonly number[], c: readonly number[]): Uint8Array {
  const node = [...text(1, 'a'), ...text(1, 'b'), ...text(2, 'c'), ...text(4, 'MatMul')];
  const graph = [
    ...bytes(1, node),
    ...text(2, 'matmul'),
    ...bytes(11, tensorInfo('a', a)),
    ...bytes(11, tensorInfo('b', b)),
    ...bytes(12, tensorInfo('c', c)),
  ];
  return Uint8Array.from([
    ...int(1, IR_VERSION),
    ...text(2, 'cortex-vae bench'),
    ...bytes(7, graph),
    ...bytes(8, int(2, OPSET)),
  ]);
}
