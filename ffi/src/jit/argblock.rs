//! The argument block: how a caller of a stub hands over the arguments of one call. Every
//! argument is stored in its C representation (what `memcpy` of a C variable of its type
//! gives) at an offset computed from the plan alone, and the stub moves it to its register or
//! stack slot. The result buffer receives the result in its C representation.
//!
//! ```text
//! args: [ arg 0 bytes | pad ][ arg 1 bytes | pad ] ...   each slot 8-byte aligned (or the
//!                                                        type's alignment when larger) and a
//!                                                        multiple of 8 bytes long
//! ret:  [ result bytes | pad ]                           ret_size bytes, ret_align-aligned
//! ```
//!
//! The padding matters: a stub may read and write whole eightbytes of a slot (a 3-byte struct
//! is loaded into a register with one 8-byte load), so the slots and the result buffer are
//! sized in eightbytes. Padding contents are ignored.

use crate::abi::{CallPlan, Loc, Pass, RetPlan};

/// Offsets of the arguments in the argument block of a plan, and the size of the buffers.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ArgBlock {
    /// Offset of each argument of the plan (in plan order: fixed, then variadic).
    pub offsets: Vec<u32>,
    /// Bytes of the argument block (a multiple of 8; 0 when there are no arguments).
    pub size: u32,
    /// Alignment the argument block must have (at least 16).
    pub align: u32,
    /// Bytes the result buffer must have (a multiple of 16; at least the result's size).
    pub ret_size: u32,
    /// Alignment the result buffer must have (at least 16).
    pub ret_align: u32,
}

impl ArgBlock {
    /// The block layout for `plan`.
    pub fn of(plan: &CallPlan) -> ArgBlock {
        let mut offsets = Vec::with_capacity(plan.args.len());
        let mut cursor = 0u32;
        let mut align = 16;
        for arg in &plan.args {
            let slot_align = arg.align.max(8);
            align = align.max(slot_align);
            cursor = align_up(cursor, slot_align);
            offsets.push(cursor);
            let bytes = match arg.pass {
                // The slot holds the pointer to the slot the register is loaded from.
                Pass::InOutRegister { .. } => 8,
                _ => arg.size,
            };
            cursor += align_up(bytes, 8);
        }
        let mut ret_size = plan.ret_size;
        if let RetPlan::Direct(parts) = &plan.ret {
            for part in parts {
                let written = match part.loc {
                    Loc::X87(_) => 10,
                    Loc::Gpr(_) if matches!(part.size, 1 | 2 | 4 | 8) => part.size,
                    Loc::Gpr(_) => 8,
                    _ => part.size,
                };
                ret_size = ret_size.max(part.offset + written);
            }
        }
        ArgBlock { offsets, size: cursor, align, ret_size: align_up(ret_size, 16), ret_align: plan.ret_align.max(16) }
    }
}

/// Rounds up to a multiple of `align` (a power of two).
pub(crate) fn align_up(value: u32, align: u32) -> u32 {
    (value + align - 1) & !(align - 1)
}

/// Zeroed memory with a chosen alignment: an argument block or a result buffer.
#[derive(Clone, Debug)]
pub struct AlignedBuf {
    storage: Vec<u8>,
    start: usize,
    len: usize,
}

impl AlignedBuf {
    /// `len` zeroed bytes aligned to `align` (a power of two).
    pub fn new(len: usize, align: usize) -> AlignedBuf {
        assert!(align.is_power_of_two(), "alignment {align} is not a power of two");
        let storage = vec![0u8; len + align];
        let start = storage.as_ptr().align_offset(align);
        AlignedBuf { storage, start, len }
    }

    /// An argument block for `block`.
    pub fn for_args(block: &ArgBlock) -> AlignedBuf {
        AlignedBuf::new(block.size as usize, block.align as usize)
    }

    /// A result buffer for `block`.
    pub fn for_result(block: &ArgBlock) -> AlignedBuf {
        AlignedBuf::new(block.ret_size as usize, block.ret_align as usize)
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn bytes(&self) -> &[u8] {
        &self.storage[self.start..self.start + self.len]
    }

    pub fn bytes_mut(&mut self) -> &mut [u8] {
        &mut self.storage[self.start..self.start + self.len]
    }

    pub fn as_ptr(&self) -> *const u8 {
        self.bytes().as_ptr()
    }

    pub fn as_mut_ptr(&mut self) -> *mut u8 {
        self.bytes_mut().as_mut_ptr()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::plan_call;
    use crate::{CTypeTable, Target};

    #[test]
    fn slots_are_eightbytes_aligned_to_their_type() {
        let mut t = CTypeTable::new(Target::X86_64_LINUX);
        t.cdef("struct s3 { char c[3]; }; struct ld { long double x; };").unwrap();
        let f = t.parse_type("struct s3 (*)(char, struct s3, struct ld, double)", &[]).unwrap();
        let plan = plan_call(&t, f, &[], None, Target::X86_64_LINUX).unwrap();
        let block = ArgBlock::of(&plan);
        assert_eq!(block.offsets, vec![0, 8, 16, 32]);
        assert_eq!((block.size, block.align), (40, 16));
        // The 3-byte result comes back in rax: the buffer takes all 8 bytes of it.
        assert_eq!((block.ret_size, block.ret_align), (16, 16));
        let mut buf = AlignedBuf::for_args(&block);
        assert_eq!(buf.as_mut_ptr() as usize % 16, 0);
        assert_eq!(buf.len(), 40);
    }

    #[test]
    fn over_aligned_buffers() {
        let b = AlignedBuf::new(10, 64);
        assert_eq!(b.as_ptr() as usize % 64, 0);
        assert!(b.bytes().iter().all(|&x| x == 0));
    }
}
