pub mod arith;
