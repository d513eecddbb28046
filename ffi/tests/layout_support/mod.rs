//! Checks rivet's layouts against a real C compiler: generate records, have the compiler
//! compute `sizeof`, `_Alignof`, `offsetof` and bit-field positions (as data in its assembly
//! output), have rivet compute the same from the same text, compare every number.

pub mod asm;
pub mod compiler;
pub mod gen;
pub mod rng;

use rivet_ffi::{CTypeId, CTypeTable, Target};

use gen::{Generated, Generator};

/// How many records to generate per target, and the seed (both overridable from the
/// environment to explore: RIVET_LAYOUT_COUNT, RIVET_LAYOUT_SEED).
fn settings() -> (usize, u64) {
    let count = std::env::var("RIVET_LAYOUT_COUNT").ok().and_then(|v| v.parse().ok()).unwrap_or(400);
    let seed = std::env::var("RIVET_LAYOUT_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(20_240_601);
    (count, seed)
}

/// What the compiler says about one record: size, alignment, offsets of its non-bit-field
/// members, and (first bit, number of bits) of its bit-fields, in generation order.
struct Measured {
    size: u64,
    align: u64,
    offsets: Vec<u64>,
    bits: Vec<(u64, u64)>,
}

/// The C file: the declarations, then per record an array of numbers and one object per
/// bit-field with that bit-field set to all ones.
fn probe_source(enums: &str, records: &[Generated]) -> String {
    let mut src = String::from(enums);
    for r in records {
        src.push_str(&r.text);
    }
    for (i, r) in records.iter().enumerate() {
        let ty = &r.c_type;
        let mut vals = vec![format!("sizeof({ty})"), format!("_Alignof({ty})")];
        for m in r.members.iter().filter(|m| !m.bitfield) {
            vals.push(format!("__builtin_offsetof({ty}, {})", m.path));
        }
        src.push_str(&format!("unsigned long long rv_{i}_vals[] = {{ {} }};\n", vals.join(", ")));
        for (k, m) in r.members.iter().filter(|m| m.bitfield).enumerate() {
            src.push_str(&format!(
                "union {{ {ty} s; unsigned char b[sizeof({ty})]; }} rv_{i}_bf_{k} = {{ .s.{} = -1 }};\n",
                m.path
            ));
        }
    }
    src
}

fn measure(objects: &std::collections::HashMap<String, Vec<u8>>, records: &[Generated]) -> Vec<Measured> {
    records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let bytes =
                objects.get(&format!("rv_{i}_vals")).unwrap_or_else(|| panic!("rv_{i}_vals missing from assembly"));
            let vals: Vec<u64> = bytes.chunks(8).map(|c| u64::from_le_bytes(c.try_into().unwrap())).collect();
            let bitfields = r.members.iter().filter(|m| m.bitfield).count();
            let bits = (0..bitfields)
                .map(|k| {
                    let b = objects.get(&format!("rv_{i}_bf_{k}")).unwrap_or_else(|| panic!("rv_{i}_bf_{k} missing"));
                    let set: Vec<u64> =
                        (0..b.len() as u64 * 8).filter(|&bit| b[bit as usize / 8] >> (bit % 8) & 1 == 1).collect();
                    (set.first().copied().unwrap_or(u64::MAX), set.len() as u64)
                })
                .collect();
            Measured { size: vals[0], align: vals[1], offsets: vals[2..].to_vec(), bits }
        })
        .collect()
}

/// Offset, or (first bit, width) for a bit-field, of a member path in rivet's layout.
fn rivet_member(
    table: &CTypeTable,
    record: CTypeId,
    path: &str,
    target: Target,
) -> Result<(u64, Option<(u64, u64)>), String> {
    let mut ty = record;
    let mut base = 0;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let m = table
            .member(ty, part, target)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("rivet has no member '{part}'"))?;
        if i + 1 == parts.len() {
            let bits = m.bitfield.map(|b| (base * 8 + b.bit_offset, b.width as u64));
            return Ok((base + m.offset, bits));
        }
        base += m.offset;
        ty = m.ty;
    }
    unreachable!("paths are never empty")
}

/// What a check covered.
pub struct Checked {
    pub records: usize,
    pub offsets: usize,
    pub bitfields: usize,
    pub compiler: String,
}

/// Generates records for `target`, compiles them with its oracle, and compares.
pub fn check_target(target: Target) -> Checked {
    let (count, seed) = settings();
    let compiler = compiler::for_target(target);
    let msvc = matches!(target.record_dialect(), rivet_ffi::RecordDialect::Msvc);
    // A different stream of records per target (FNV-1a of the name mixed into the seed).
    let name_hash =
        target.name().bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3));
    let mut generator = Generator::new(seed ^ name_hash, msvc, !compiler.stand_in_for_gcc);
    let records: Vec<Generated> = (0..count).map(|i| generator.record(i)).collect();
    let source = probe_source(&generator.enum_text, &records);
    if let Ok(dir) = std::env::var("RIVET_LAYOUT_DUMP") {
        // For investigating a failure: the exact C file the compiler saw.
        std::fs::write(std::path::Path::new(&dir).join(format!("{}.c", target.name())), &source).expect("dump");
    }
    let asm = compiler.assembly(&source, target.name());
    let measured = measure(&asm::objects(&asm, compiler.word), &records);

    let mut table = CTypeTable::new(target);
    let mut declarations = generator.enum_text.clone();
    for r in &records {
        declarations.push_str(&r.text);
    }
    if let Err(e) = table.cdef(&declarations) {
        panic!("rivet rejects the generated declarations for {target}: {e}");
    }

    let mut failures = Vec::new();
    for (r, m) in records.iter().zip(&measured) {
        let id = table.parse_type(&r.c_type, &[]).expect("declared above");
        let mut problems = Vec::new();
        match table.layout(id, target) {
            Err(e) => problems.push(format!("rivet: {e}")),
            Ok(l) => {
                if (l.size, l.align as u64) != (m.size, m.align) {
                    problems.push(format!(
                        "size/align: {} says {}/{}, rivet {}/{}",
                        compiler.description, m.size, m.align, l.size, l.align
                    ));
                }
            }
        }
        let (mut off, mut bit) = (m.offsets.iter(), m.bits.iter());
        for member in &r.members {
            let theirs = if member.bitfield {
                bit.next().map(|&(a, b)| (0, Some((a, b))))
            } else {
                off.next().map(|&o| (o, None))
            };
            let theirs = theirs.expect("one measurement per member");
            match rivet_member(&table, id, &member.path, target) {
                Err(e) => problems.push(format!("{}: {e}", member.path)),
                Ok(ours) => {
                    let ours = if member.bitfield { (0, ours.1) } else { (ours.0, None) };
                    if ours != theirs {
                        problems.push(format!(
                            "{}: {} says {:?}, rivet {:?}",
                            member.path, compiler.description, theirs, ours
                        ));
                    }
                }
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{}{}", r.text, problems.join("\n")));
        }
    }
    if !failures.is_empty() {
        let shown: Vec<&String> = failures.iter().take(8).collect();
        panic!(
            "{} of {} records lay out differently on {target} than with {} (seed {seed}):\n\n{}",
            failures.len(),
            records.len(),
            compiler.description,
            shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n\n")
        );
    }
    Checked {
        records: records.len(),
        offsets: measured.iter().map(|m| m.offsets.len()).sum(),
        bitfields: measured.iter().map(|m| m.bits.len()).sum(),
        compiler: compiler.description,
    }
}
