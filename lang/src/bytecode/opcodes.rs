//! THE opcode table: every instruction of rivet's register bytecode, declared once.
//!
//! The instruction set follows the design of Lua 5.4's (registers, constants, upvalues,
//! comparison-then-jump pairs) with one deliberate difference: arithmetic and bitwise
//! instructions handle their metamethod fallback themselves, so there are no `MMBIN*`
//! follow-up instructions. The VM knows which operator failed from the opcode itself. Where
//! Lua's `MMBIN*` carried a "flip" flag (a constant first operand of a commutative operator,
//! `2 * x`, compiled as `MulK x 2`), the k bit of the `*I`/`*K` instruction carries it, so
//! metamethods still receive the operands in source order.
//!
//! Notation in the semantics column:
//! `R[x]` register x of the current frame; `K[x]` constant x; `U[x]` upvalue x;
//! `RK(C)` is `K[C]` when the k bit is set, else `R[C]`; `sC`/`sB` are signed 8-bit fields
//! (excess-127); `sBx` is a signed 17-bit field (excess-65535); `sJ` signed 25-bit jump;
//! `pc` has already been advanced past the current instruction when a jump offset is added.
//!
//! The macro generates `enum OpCode`, `OpCode::name`, `OpCode::format` and
//! `OpCode::from_u8`; the disassembler prints from the same table.

/// How the 25 bits after the opcode are split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A(8) k(1) B(8) C(8)
    ABC,
    /// A(8) Bx(17) unsigned
    ABx,
    /// A(8) sBx(17) signed
    AsBx,
    /// Ax(25) unsigned
    Ax,
    /// sJ(25) signed
    SJ,
}

macro_rules! opcodes {
    ($( $name:ident $fmt:ident $text:literal ;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum OpCode { $($name,)* }

        const ALL: &[OpCode] = &[$(OpCode::$name,)*];
        const NAMES: &[&str] = &[$(stringify!($name),)*];
        const FORMATS: &[Format] = &[$(Format::$fmt,)*];
        const SEMANTICS: &[&str] = &[$($text,)*];
    };
}

opcodes! {
    Move       ABC  "R[A] := R[B]";
    LoadI      AsBx "R[A] := sBx (integer)";
    LoadF      AsBx "R[A] := sBx (float)";
    LoadK      ABx  "R[A] := K[Bx]";
    LoadKX     ABC  "R[A] := K[Ax of the following ExtraArg]";
    LoadFalse  ABC  "R[A] := false";
    LFalseSkip ABC  "R[A] := false; pc++";
    LoadTrue   ABC  "R[A] := true";
    LoadNil    ABC  "R[A], ..., R[A+B] := nil";
    GetUpval   ABC  "R[A] := U[B]";
    SetUpval   ABC  "U[B] := R[A]";
    GetTabUp   ABC  "R[A] := U[B][K[C]:string]";
    GetTable   ABC  "R[A] := R[B][R[C]]";
    GetI       ABC  "R[A] := R[B][C] (C an integer key 0..255)";
    GetField   ABC  "R[A] := R[B][K[C]:string]";
    SetTabUp   ABC  "U[A][K[B]:string] := RK(C)";
    SetTable   ABC  "R[A][R[B]] := RK(C)";
    SetI       ABC  "R[A][B] := RK(C) (B an integer key 0..255)";
    SetField   ABC  "R[A][K[B]:string] := RK(C)";
    NewTable   ABC  "R[A] := {} with B = hash size hint (log2+1, 0 = none), C = array size hint; if k, the array hint is C + Ax*256 of the following ExtraArg (always present)";
    SelfOp     ABC  "R[A+1] := R[B]; R[A] := R[B][RK(C):string]";
    AddI       ABC  "R[A] := R[B] + sC; k: the source was sC + R[B] (a metamethod gets the operands in that order)";
    AddK       ABC  "R[A] := R[B] + K[C]:number; k: the source was K[C] + R[B] (metamethod operand order)";
    SubK       ABC  "R[A] := R[B] - K[C]:number";
    MulK       ABC  "R[A] := R[B] * K[C]:number; k: the source was K[C] * R[B] (metamethod operand order)";
    ModK       ABC  "R[A] := R[B] % K[C]:number";
    PowK       ABC  "R[A] := R[B] ^ K[C]:number";
    DivK       ABC  "R[A] := R[B] / K[C]:number";
    IDivK      ABC  "R[A] := R[B] // K[C]:number";
    BAndK      ABC  "R[A] := R[B] & K[C]:integer; k: the source was K[C] & R[B] (metamethod operand order)";
    BOrK       ABC  "R[A] := R[B] | K[C]:integer; k: the source was K[C] | R[B] (metamethod operand order)";
    BXorK      ABC  "R[A] := R[B] ~ K[C]:integer; k: the source was K[C] ~ R[B] (metamethod operand order)";
    ShrI       ABC  "R[A] := R[B] >> sC";
    ShlI       ABC  "R[A] := sC << R[B]";
    Add        ABC  "R[A] := R[B] + R[C]";
    Sub        ABC  "R[A] := R[B] - R[C]";
    Mul        ABC  "R[A] := R[B] * R[C]";
    Mod        ABC  "R[A] := R[B] % R[C]";
    Pow        ABC  "R[A] := R[B] ^ R[C]";
    Div        ABC  "R[A] := R[B] / R[C]";
    IDiv       ABC  "R[A] := R[B] // R[C]";
    BAnd       ABC  "R[A] := R[B] & R[C]";
    BOr        ABC  "R[A] := R[B] | R[C]";
    BXor       ABC  "R[A] := R[B] ~ R[C]";
    Shl        ABC  "R[A] := R[B] << R[C]";
    Shr        ABC  "R[A] := R[B] >> R[C]";
    Unm        ABC  "R[A] := -R[B]";
    BNot       ABC  "R[A] := ~R[B]";
    Not        ABC  "R[A] := not R[B]";
    Len        ABC  "R[A] := #R[B] (length operator)";
    Concat     ABC  "R[A] := R[A] .. ... .. R[A+B-1]";
    Close      ABC  "close all upvalues and to-be-closed variables >= R[A]";
    Tbc        ABC  "mark R[A] as a to-be-closed variable";
    Jmp        SJ   "pc += sJ";
    Eq         ABC  "if ((R[A] == R[B]) ~= k) then pc++";
    Lt         ABC  "if ((R[A] <  R[B]) ~= k) then pc++";
    Le         ABC  "if ((R[A] <= R[B]) ~= k) then pc++";
    EqK        ABC  "if ((R[A] == K[B]) ~= k) then pc++";
    EqI        ABC  "if ((R[A] == sB) ~= k) then pc++ (C: 1 if sB stands for a float)";
    LtI        ABC  "if ((R[A] < sB) ~= k) then pc++ (C: 1 if sB stands for a float)";
    LeI        ABC  "if ((R[A] <= sB) ~= k) then pc++ (C: 1 if sB stands for a float)";
    GtI        ABC  "if ((R[A] > sB) ~= k) then pc++ (C: 1 if sB stands for a float)";
    GeI        ABC  "if ((R[A] >= sB) ~= k) then pc++ (C: 1 if sB stands for a float)";
    Test       ABC  "if (not R[A] == k) then pc++";
    TestSet    ABC  "if (not R[B] == k) then pc++ else R[A] := R[B]";
    Call       ABC  "R[A], ..., R[A+C-2] := R[A](R[A+1], ..., R[A+B-1]); B = 0: arguments up to top; C = 0: keep all results (sets top)";
    TailCall   ABC  "return R[A](R[A+1], ..., R[A+B-1]); B = 0: arguments up to top; k: close upvalues/tbc first";
    Return     ABC  "return R[A], ..., R[A+B-2]; B = 0: up to top; k: close upvalues/tbc first";
    Return0    ABC  "return";
    Return1    ABC  "return R[A]";
    ForLoop    ABx  "update counters; if loop continues then pc -= Bx";
    ForPrep    ABx  "check values and prepare counters (R[A] start, R[A+1] limit, R[A+2] step, R[A+3] control variable); if not to run then pc += Bx + 1";
    TForPrep   ABx  "create upvalue-closing entry for R[A+3] (tbc); pc += Bx";
    TForCall   ABC  "R[A+4], ..., R[A+3+C] := R[A](R[A+1], R[A+2])";
    TForLoop   ABx  "if R[A+4] ~= nil then { R[A+2] := R[A+4]; pc -= Bx }";
    SetList    ABC  "R[A][C+i] := R[A+i], 1 <= i <= B; B = 0: up to top; if k, C += Ax*256 of the following ExtraArg (present only when k is set)";
    Closure    ABx  "R[A] := closure(KPROTO[Bx])";
    VarArg     ABC  "R[A], R[A+1], ..., R[A+C-2] = vararg; C = 0: all (sets top)";
    VarArgPrep ABC  "adjust vararg parameters (A = number of fixed parameters)";
    ExtraArg   Ax   "extra (larger) argument for the previous opcode";
    LoadCData  ABx  "R[A] := the value of K[Bx] (a 123LL/123ULL/12.5i literal), made by the host's cdata-literal hook the first time and kept by the prototype";
}

impl OpCode {
    pub const COUNT: usize = ALL.len();

    pub fn name(self) -> &'static str {
        NAMES[self as usize]
    }

    pub fn format(self) -> Format {
        FORMATS[self as usize]
    }

    /// The one-line semantics from the table (used by `--dump-bytecode` documentation).
    pub fn semantics(self) -> &'static str {
        SEMANTICS[self as usize]
    }

    pub fn from_u8(byte: u8) -> Option<OpCode> {
        ALL.get(byte as usize).copied()
    }

    /// Arithmetic and bitwise instructions whose C operand is a constant (`AddK` ... `BXorK`).
    pub fn is_arith_k(self) -> bool {
        matches!(
            self,
            OpCode::AddK
                | OpCode::SubK
                | OpCode::MulK
                | OpCode::ModK
                | OpCode::PowK
                | OpCode::DivK
                | OpCode::IDivK
                | OpCode::BAndK
                | OpCode::BOrK
                | OpCode::BXorK
        )
    }

    /// Comparisons and tests: they skip the next instruction (a `Jmp`) when the condition
    /// does not match `k`.
    pub fn is_test(self) -> bool {
        matches!(
            self,
            OpCode::Eq
                | OpCode::Lt
                | OpCode::Le
                | OpCode::EqK
                | OpCode::EqI
                | OpCode::LtI
                | OpCode::LeI
                | OpCode::GtI
                | OpCode::GeI
                | OpCode::Test
        )
    }

    /// All opcodes in numeric order.
    pub fn all() -> &'static [OpCode] {
        ALL
    }
}

const _: () = assert!(ALL.len() <= 128, "opcodes must fit in 7 bits");

/// Opcode of every 7-bit value; values past the last opcode decode as `ExtraArg`, which the
/// VM never executes (the verifier rejects a stray `ExtraArg`, and `Instr` values are only
/// built from an `OpCode`). A table lookup without a bounds check keeps dispatch short.
static DECODE: [OpCode; 128] = {
    let mut table = [OpCode::ExtraArg; 128];
    let mut i = 0;
    while i < ALL.len() {
        table[i] = ALL[i];
        i += 1;
    }
    table
};

#[inline(always)]
pub(crate) fn decode(byte: u8) -> OpCode {
    DECODE[(byte & 0x7f) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_matches_table_order() {
        for (i, op) in OpCode::all().iter().enumerate() {
            assert_eq!(*op as usize, i);
            assert_eq!(OpCode::from_u8(i as u8), Some(*op));
        }
        assert_eq!(OpCode::from_u8(OpCode::COUNT as u8), None);
        assert_eq!(OpCode::Move.name(), "Move");
        assert_eq!(OpCode::Jmp.format(), Format::SJ);
    }
}
