//! The Rust side of `tests/native/fixture.h`: the same hash, generator and exact values, and
//! the writing and reading of scalars in C representation.

use super::leaves::{Kind, Leaf};

pub const SEED: u64 = 0xcbf29ce484222325;

pub fn mix(h: u64, v: u64) -> u64 {
    let h = (h ^ v).wrapping_mul(0x100000001b3);
    h ^ (h >> 29)
}

/// splitmix64, as `rv_next`.
#[derive(Clone, Debug)]
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

pub fn f32_of(r: u64) -> f32 {
    ((r & 0xFFFFF) as i32 - 0x80000) as f32 / 16.0
}

pub fn f64_of(r: u64) -> f64 {
    ((r & 0xFF_FFFF_FFFF) as i64 - 0x80_0000_0000) as f64 / 256.0
}

/// The 10 bytes of `rv_f80(r1, r2)`.
pub fn f80_of(r1: u64, r2: u64) -> [u8; 10] {
    let m = r1 | (1 << 63);
    let e = (16383 + (r2 % 200) as i32 - 100) as u16 | ((((r2 >> 20) & 1) as u16) << 15);
    let mut b = [0u8; 10];
    b[..8].copy_from_slice(&m.to_le_bytes());
    b[8..].copy_from_slice(&e.to_le_bytes());
    b
}

/// The 16 bytes of `rv_f128(r1, r2)`: a normal binary128 value.
pub fn f128_of(r1: u64, r2: u64) -> [u8; 16] {
    let exponent = (16383 + (r2 >> 48) % 200 - 100) | ((r2 >> 47) & 1) << 15;
    let hi = (r2 & 0xFFFF_FFFF_FFFF) | exponent << 48;
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&r1.to_le_bytes());
    b[8..].copy_from_slice(&hi.to_le_bytes());
    b
}

/// A generated scalar: the bytes it is stored as and the words its hash mixes.
pub struct Scalar {
    pub bytes: Vec<u8>,
    /// For bit-fields: the raw `width` bits.
    pub bits: u64,
    pub hash_words: Vec<u64>,
}

fn sign_extend(value: u64, bits: u32) -> u64 {
    if bits >= 64 {
        value
    } else {
        (((value << (64 - bits)) as i64) >> (64 - bits)) as u64
    }
}

fn mask(bits: u32) -> u64 {
    if bits >= 64 {
        u64::MAX
    } else {
        (1 << bits) - 1
    }
}

/// The scalar of `kind` the generator gives next (as `B_*` in fixture.h).
pub fn generate(kind: Kind, rng: &mut Rng) -> Scalar {
    let r = rng.next();
    match kind {
        Kind::Int { size, signed } => {
            let bits = r & mask(size * 8);
            let value = if signed { sign_extend(bits, size * 8) } else { bits };
            Scalar { bytes: bits.to_le_bytes()[..size as usize].to_vec(), bits, hash_words: vec![value] }
        }
        Kind::Bool => Scalar { bytes: vec![(r & 1) as u8], bits: r & 1, hash_words: vec![r & 1] },
        Kind::Ptr => Scalar { bytes: r.to_le_bytes().to_vec(), bits: r, hash_words: vec![r] },
        Kind::F32 => {
            let v = f32_of(r).to_bits();
            Scalar { bytes: v.to_le_bytes().to_vec(), bits: v as u64, hash_words: vec![v as u64] }
        }
        Kind::F64 => {
            let v = f64_of(r).to_bits();
            Scalar { bytes: v.to_le_bytes().to_vec(), bits: v, hash_words: vec![v] }
        }
        Kind::F128 => {
            let b = f128_of(r, rng.next());
            let lo = u64::from_le_bytes(b[..8].try_into().unwrap());
            let hi = u64::from_le_bytes(b[8..].try_into().unwrap());
            Scalar { bytes: b.to_vec(), bits: 0, hash_words: vec![lo, hi] }
        }
        Kind::F80 => {
            let b = f80_of(r, rng.next());
            let lo = u64::from_le_bytes(b[..8].try_into().unwrap());
            let hi = u16::from_le_bytes(b[8..].try_into().unwrap()) as u64;
            Scalar { bytes: b.to_vec(), bits: 0, hash_words: vec![lo, hi] }
        }
        Kind::Bits { width, signed, .. } => {
            let bits = r & mask(width);
            let value = if signed { sign_extend(bits, width) } else { bits };
            Scalar { bytes: Vec::new(), bits, hash_words: vec![value] }
        }
    }
}

/// What a variadic argument of `kind` becomes after C's default argument promotions, as the
/// fixture reads it with `va_arg`: `float` as `double`, small integers as `int`.
pub fn promoted_hash_words(kind: Kind, scalar: &Scalar) -> Vec<u64> {
    match kind {
        Kind::F32 => {
            let f = f32::from_bits(scalar.bits as u32);
            vec![(f as f64).to_bits()]
        }
        _ => scalar.hash_words.clone(),
    }
}

/// Stores a scalar of a value placed at `base` in `buf`.
pub fn store(buf: &mut [u8], base: usize, leaf: &Leaf, scalar: &Scalar) {
    match leaf.kind {
        Kind::Bits { width, bit_offset, .. } => {
            for i in 0..width as u64 {
                let bit = base as u64 * 8 + bit_offset + i;
                let byte = &mut buf[(bit / 8) as usize];
                if scalar.bits >> i & 1 == 1 {
                    *byte |= 1 << (bit % 8);
                } else {
                    *byte &= !(1 << (bit % 8));
                }
            }
        }
        _ => {
            let at = base + leaf.offset as usize;
            buf[at..at + scalar.bytes.len()].copy_from_slice(&scalar.bytes);
        }
    }
}

/// Reads back what `store` would have written, as bytes (bit-fields: their bits, LE).
pub fn load(buf: &[u8], base: usize, leaf: &Leaf, expected: &Scalar) -> Vec<u8> {
    match leaf.kind {
        Kind::Bits { width, bit_offset, .. } => {
            let mut v = 0u64;
            for i in 0..width as u64 {
                let bit = base as u64 * 8 + bit_offset + i;
                v |= ((buf[(bit / 8) as usize] >> (bit % 8)) as u64 & 1) << i;
            }
            v.to_le_bytes().to_vec()
        }
        _ => {
            let at = base + leaf.offset as usize;
            buf[at..at + expected.bytes.len()].to_vec()
        }
    }
}

/// The bytes `load` returns when the value is right.
pub fn expected_bytes(leaf: &Leaf, scalar: &Scalar) -> Vec<u8> {
    match leaf.kind {
        Kind::Bits { .. } => scalar.bits.to_le_bytes().to_vec(),
        _ => scalar.bytes.clone(),
    }
}
