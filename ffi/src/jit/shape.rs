//! A plan and its argument block, lowered to what a stub does: moves from the argument block
//! (at absolute offsets) to locations, stores of the result, the frame to reserve. Types are
//! gone, so two signatures that move the same bytes the same way share one shape, and the
//! shape is the key of the stub cache.

use super::argblock::ArgBlock;
use crate::abi::{regs::x64::RAX, Abi, CallPlan, Ext, Gpr, Loc, Pass, RetPlan, VarargMarker};
use crate::target::Isa;

/// One move before the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Move {
    /// `size` bytes at `args + src` (extended as `ext` says) into `to`.
    Load { src: u32, size: u32, ext: Ext, to: Loc },
    /// The address `args + src` (a by-reference argument) into `to`.
    Address { src: u32, to: Loc },
    /// The result buffer's address (a hidden result pointer) into `to`.
    ResultPointer { to: Loc },
    /// The pointer-sized value at `*(args + src)` into `reg`; after the call, `reg` is stored
    /// back there (nothing happens when the pointer is null).
    InOut { src: u32, reg: Gpr },
}

/// One store of a result part into the result buffer after the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Store {
    pub dst: u32,
    pub size: u32,
    pub from: Loc,
}

/// Everything a stub does, without types.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct StubShape {
    pub isa: Isa,
    /// In emission order: stack slots first (they use scratch registers), then vector
    /// registers, general registers, and last anything going to the scratch register rax.
    pub moves: Vec<Move>,
    pub stores: Vec<Store>,
    /// Bytes of outgoing area (shadow space and stack arguments).
    pub frame: u32,
    /// Alignment of the stack pointer at the call.
    pub align: u32,
    /// The value for `al` (System V varargs).
    pub al: Option<u8>,
    /// The callee may change r12 or r13 (Swift's error and context registers), which the
    /// stub's own caller expects preserved.
    pub saves_r12_r13: bool,
}

impl StubShape {
    pub fn of(plan: &CallPlan, block: &ArgBlock) -> StubShape {
        let mut moves = Vec::new();
        if let RetPlan::Indirect { ptr, .. } = plan.ret {
            moves.push(Move::ResultPointer { to: ptr });
        }
        for (arg, &offset) in plan.args.iter().zip(&block.offsets) {
            match &arg.pass {
                Pass::Direct(parts) => moves.extend(parts.iter().map(|p| Move::Load {
                    src: offset + p.offset,
                    size: p.size,
                    ext: p.ext,
                    to: p.loc,
                })),
                Pass::ByReference { ptr } => moves.push(Move::Address { src: offset, to: *ptr }),
                Pass::InOutRegister { reg } => moves.push(Move::InOut { src: offset, reg: *reg }),
                Pass::Ignored => {}
            }
        }
        moves.sort_by_key(|m| match *m {
            Move::Load { to: Loc::Stack(_), .. } | Move::Address { to: Loc::Stack(_), .. } => 0,
            Move::Load { to: Loc::Vec(_), .. } => 1,
            Move::InOut { .. } => 3,
            Move::Load { to: Loc::Gpr(RAX), .. }
            | Move::Address { to: Loc::Gpr(RAX), .. }
            | Move::ResultPointer { to: Loc::Gpr(RAX) } => 4,
            _ => 2,
        });
        let mut stores: Vec<Store> = match &plan.ret {
            RetPlan::Direct(parts) => {
                parts.iter().map(|p| Store { dst: p.offset, size: p.size, from: p.loc }).collect()
            }
            RetPlan::Void | RetPlan::Indirect { .. } => Vec::new(),
        };
        // x87 values are popped from st(0) in register order; the others in offset order so
        // that an eightbyte store running past a short part never covers a later part.
        stores.sort_by_key(|s| match s.from {
            Loc::X87(n) => (1, n as u32),
            _ => (0, s.dst),
        });
        StubShape {
            isa: plan.abi.isa(),
            stores,
            frame: plan.stack.size,
            align: plan.stack.align,
            al: plan.vararg_marker.map(|VarargMarker::VectorCountInAl(n)| n),
            saves_r12_r13: plan.abi == Abi::SwiftX64 || touches_r12_r13(&moves),
            moves,
        }
    }
}

/// Whether the moves load r12 or r13.
fn touches_r12_r13(moves: &[Move]) -> bool {
    moves.iter().any(|m| match *m {
        Move::Load { to: Loc::Gpr(r), .. } | Move::Address { to: Loc::Gpr(r), .. } | Move::InOut { reg: r, .. } => {
            r.0 == 12 || r.0 == 13
        }
        _ => false,
    })
}
