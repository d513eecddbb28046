//! The machines rivet lays out types for: an instruction set, an operating system and the C
//! data model and record-layout dialect that follow from the pair.
//!
//! Everything here is plain data usable on any host; only [`Target::host`] looks at the
//! machine rivet was compiled for.

use std::fmt;

/// Instruction set architecture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Isa {
    X64,
    X86,
    Aarch64,
}

/// Operating system (it decides the data model and the record-layout dialect).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Os {
    Linux,
    Windows,
    Macos,
}

/// Sizes of `int`, `long` and pointers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DataModel {
    /// 32-bit `int`, 64-bit `long` and pointers (Unix 64-bit).
    Lp64,
    /// 32-bit `int` and `long`, 64-bit pointers (64-bit Windows).
    Llp64,
    /// 32-bit `int`, `long` and pointers.
    Ilp32,
}

/// How struct and union members are placed: the rules of the target's system compiler.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecordDialect {
    /// GCC (System V targets). `unnamed_bitfields_align`: unnamed bit-fields (zero-width ones
    /// included) raise the record's alignment to their type's, as GCC does for AArch64 Linux
    /// (AAPCS64) but not for x86.
    Gcc { unnamed_bitfields_align: bool },
    /// Clang on Apple targets: GCC's rules except where a bit-field carries an alignment
    /// attribute (Clang checks the storage unit before applying it, GCC after).
    Clang { unnamed_bitfields_align: bool },
    /// Microsoft Visual C++ (all Windows targets): bit-fields are allocated in units of their
    /// declared type, `#pragma pack` never lowers a `__declspec(align)`.
    Msvc,
}

/// A target: the pair (ISA, OS). Build one with the constants or [`Target::from_name`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Target {
    pub isa: Isa,
    pub os: Os,
}

impl Target {
    pub const X86_64_LINUX: Target = Target { isa: Isa::X64, os: Os::Linux };
    pub const X86_64_WINDOWS: Target = Target { isa: Isa::X64, os: Os::Windows };
    pub const I386_LINUX: Target = Target { isa: Isa::X86, os: Os::Linux };
    pub const I386_WINDOWS: Target = Target { isa: Isa::X86, os: Os::Windows };
    pub const AARCH64_LINUX: Target = Target { isa: Isa::Aarch64, os: Os::Linux };
    pub const AARCH64_MACOS: Target = Target { isa: Isa::Aarch64, os: Os::Macos };
    pub const AARCH64_WINDOWS: Target = Target { isa: Isa::Aarch64, os: Os::Windows };

    /// Every supported target, in the order `ffi.layout` documents them.
    pub const ALL: [Target; 7] = [
        Target::X86_64_LINUX,
        Target::X86_64_WINDOWS,
        Target::I386_LINUX,
        Target::I386_WINDOWS,
        Target::AARCH64_LINUX,
        Target::AARCH64_MACOS,
        Target::AARCH64_WINDOWS,
    ];

    /// The target's name as users write it: `x86_64-linux`, `i386-windows`, `aarch64-macos`...
    pub fn name(self) -> &'static str {
        match (self.isa, self.os) {
            (Isa::X64, Os::Linux) => "x86_64-linux",
            (Isa::X64, Os::Windows) => "x86_64-windows",
            (Isa::X64, Os::Macos) => "x86_64-macos",
            (Isa::X86, Os::Linux) => "i386-linux",
            (Isa::X86, Os::Windows) => "i386-windows",
            (Isa::X86, Os::Macos) => "i386-macos",
            (Isa::Aarch64, Os::Linux) => "aarch64-linux",
            (Isa::Aarch64, Os::Windows) => "aarch64-windows",
            (Isa::Aarch64, Os::Macos) => "aarch64-macos",
        }
    }

    /// Looks a target up by [`Target::name`]; `None` for targets rivet has no rules for.
    pub fn from_name(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The machine rivet was compiled for, or `None` when it is none of [`Target::ALL`].
    pub fn host() -> Option<Target> {
        let isa = if cfg!(target_arch = "x86_64") {
            Isa::X64
        } else if cfg!(target_arch = "x86") {
            Isa::X86
        } else if cfg!(target_arch = "aarch64") {
            Isa::Aarch64
        } else {
            return None;
        };
        let os = if cfg!(target_os = "linux") {
            Os::Linux
        } else if cfg!(target_os = "windows") {
            Os::Windows
        } else if cfg!(target_os = "macos") {
            Os::Macos
        } else {
            return None;
        };
        Target::ALL.into_iter().find(|t| t.isa == isa && t.os == os)
    }

    pub fn data_model(self) -> DataModel {
        match (self.isa, self.os) {
            (Isa::X86, _) => DataModel::Ilp32,
            (_, Os::Windows) => DataModel::Llp64,
            _ => DataModel::Lp64,
        }
    }

    pub fn pointer_size(self) -> u32 {
        match self.data_model() {
            DataModel::Ilp32 => 4,
            _ => 8,
        }
    }

    pub fn long_size(self) -> u32 {
        match self.data_model() {
            DataModel::Lp64 => 8,
            _ => 4,
        }
    }

    /// Whether plain `char` is signed: AAPCS64 makes it unsigned, Apple and Microsoft keep it
    /// signed on arm64, x86 compilers make it signed.
    pub fn char_is_signed(self) -> bool {
        !(self.isa == Isa::Aarch64 && self.os == Os::Linux)
    }

    pub fn record_dialect(self) -> RecordDialect {
        match (self.isa, self.os) {
            (_, Os::Windows) => RecordDialect::Msvc,
            (_, Os::Macos) => RecordDialect::Clang { unnamed_bitfields_align: false },
            (Isa::Aarch64, Os::Linux) => RecordDialect::Gcc { unnamed_bitfields_align: true },
            _ => RecordDialect::Gcc { unnamed_bitfields_align: false },
        }
    }

    /// The alignment `__attribute__((aligned))` without an argument asks for: the largest
    /// alignment of any type (`__BIGGEST_ALIGNMENT__`), 16 on every supported target.
    pub fn biggest_alignment(self) -> u32 {
        16
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for t in Target::ALL {
            assert_eq!(Target::from_name(t.name()), Some(t));
        }
        assert_eq!(Target::from_name("sparc-solaris"), None);
    }

    #[test]
    fn data_models() {
        assert_eq!(Target::X86_64_LINUX.long_size(), 8);
        assert_eq!(Target::X86_64_WINDOWS.long_size(), 4);
        assert_eq!(Target::X86_64_WINDOWS.pointer_size(), 8);
        assert_eq!(Target::I386_LINUX.pointer_size(), 4);
        assert!(!Target::AARCH64_LINUX.char_is_signed());
        assert!(Target::AARCH64_MACOS.char_is_signed());
    }

    #[test]
    fn host_is_known_here() {
        // The test machines are x86-64 Linux; on any other supported host this still holds.
        if cfg!(all(target_arch = "x86_64", target_os = "linux")) {
            assert_eq!(Target::host(), Some(Target::X86_64_LINUX));
        }
    }
}
