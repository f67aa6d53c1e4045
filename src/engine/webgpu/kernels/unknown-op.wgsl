// What a switch over op codes returns for a code it has no case for: NaN, so an unknown op poisons
// its output instead of silently running another op. The bits go through a var so the compiler
// does not fold them into a constant (a NaN constant is a WGSL error).
fn unknown_op() -> f32 {
  var quiet_nan_bits = 0x7fc00000u;
  return bitcast<f32>(quiet_nan_bits);
}
