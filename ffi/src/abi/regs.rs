//! Register names per ISA, as the ABI documents and assemblers write them. Registers are
//! numbered as their ISA encodes them, so the emitters map a [`Gpr`] to an operand without a
//! table; the names here are for plans shown to people.

use crate::target::Isa;

/// A general-purpose register, numbered as its ISA encodes it (x86-64: 0 = rax, 1 = rcx,
/// 2 = rdx, 3 = rbx, 4 = rsp, 5 = rbp, 6 = rsi, 7 = rdi, 8..15 = r8..r15).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gpr(pub u8);

/// The x86-64 general-purpose registers the calling conventions name.
pub mod x64 {
    use super::Gpr;

    pub const RAX: Gpr = Gpr(0);
    pub const RCX: Gpr = Gpr(1);
    pub const RDX: Gpr = Gpr(2);
    pub const RBX: Gpr = Gpr(3);
    pub const RSI: Gpr = Gpr(6);
    pub const RDI: Gpr = Gpr(7);
    pub const R8: Gpr = Gpr(8);
    pub const R9: Gpr = Gpr(9);
    pub const R12: Gpr = Gpr(12);
    pub const R13: Gpr = Gpr(13);

    /// Names by width: 8, 4, 2 and 1 bytes.
    const NAMES: [[&str; 4]; 16] = [
        ["rax", "eax", "ax", "al"],
        ["rcx", "ecx", "cx", "cl"],
        ["rdx", "edx", "dx", "dl"],
        ["rbx", "ebx", "bx", "bl"],
        ["rsp", "esp", "sp", "spl"],
        ["rbp", "ebp", "bp", "bpl"],
        ["rsi", "esi", "si", "sil"],
        ["rdi", "edi", "di", "dil"],
        ["r8", "r8d", "r8w", "r8b"],
        ["r9", "r9d", "r9w", "r9b"],
        ["r10", "r10d", "r10w", "r10b"],
        ["r11", "r11d", "r11w", "r11b"],
        ["r12", "r12d", "r12w", "r12b"],
        ["r13", "r13d", "r13w", "r13b"],
        ["r14", "r14d", "r14w", "r14b"],
        ["r15", "r15d", "r15w", "r15b"],
    ];

    /// The name of the part of `reg` that holds `bytes` bytes (`edi` for 4, `rdi` for 8 or
    /// for sizes with no register of their own).
    pub fn gpr_name(reg: Gpr, bytes: u32) -> &'static str {
        let column = match bytes {
            4 => 1,
            2 => 2,
            1 => 3,
            _ => 0,
        };
        NAMES.get(reg.0 as usize).map_or("r?", |names| names[column])
    }
}

/// The i386 general-purpose registers the calling conventions name.
pub mod x86 {
    use super::Gpr;

    pub const EAX: Gpr = Gpr(0);
    pub const ECX: Gpr = Gpr(1);
    pub const EDX: Gpr = Gpr(2);
}

/// The name of a general-purpose register of `isa` holding `bytes` bytes.
pub fn gpr_name(isa: Isa, reg: Gpr, bytes: u32) -> String {
    match isa {
        Isa::X64 => x64::gpr_name(reg, bytes).to_string(),
        Isa::X86 => {
            const NAMES: [&str; 8] = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"];
            NAMES.get(reg.0 as usize).map_or_else(|| format!("r{}", reg.0), |n| n.to_string())
        }
        Isa::Aarch64 => {
            let prefix = if bytes <= 4 { 'w' } else { 'x' };
            format!("{prefix}{}", reg.0)
        }
    }
}

/// The name of vector/floating-point register `n` of `isa` (`xmm0`, `v0`).
pub fn vec_name(isa: Isa, n: u8) -> String {
    match isa {
        Isa::X64 | Isa::X86 => format!("xmm{n}"),
        Isa::Aarch64 => format!("v{n}"),
    }
}

/// The name of the part of vector register `n` of `isa` that holds `bytes` bytes: the
/// AArch64 scalar views `s0`, `d0`, `q0` (`v0` for other sizes), `xmm0` on x86.
pub fn vec_part_name(isa: Isa, n: u8, bytes: u32) -> String {
    match (isa, bytes) {
        (Isa::Aarch64, 4) => format!("s{n}"),
        (Isa::Aarch64, 8) => format!("d{n}"),
        (Isa::Aarch64, 16) => format!("q{n}"),
        _ => vec_name(isa, n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn x64_names_by_width() {
        assert_eq!(gpr_name(Isa::X64, x64::RDI, 4), "edi");
        assert_eq!(gpr_name(Isa::X64, x64::R8, 1), "r8b");
        assert_eq!(gpr_name(Isa::X64, x64::RCX, 16), "rcx");
        assert_eq!(gpr_name(Isa::X64, x64::R13, 8), "r13");
        assert_eq!(vec_name(Isa::X64, 7), "xmm7");
    }
}
