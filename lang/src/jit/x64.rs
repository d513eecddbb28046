//! The loop compiler's x86-64 emitter: a [`LoopPlan`] to machine code, with dynasmrt.
//!
//! A compiled loop is entered with the System V convention as
//! `loop(regs, lua, constants, base, interrupt, upvalues) -> pc` and returns the index of the
//! instruction where the interpreter goes on: after the `ForLoop` when the loop ends, or the
//! instruction whose checks failed. Registers while it runs:
//!
//! ```text
//! rbx = regs (R[0] of the frame)   r12 = the runtime   r13 = the constants
//! r14 = the interrupt flag         r15 = base (the frame's first register, a stack index)
//! rbp = the closure's upvalue links (each a pointer to an upvalue object)
//! ```
//! Every Lua register stays in its stack slot (a tag word at +0, a payload word at +8), so
//! stopping anywhere between two instructions leaves the interpreter's state exact.

// dynasm! converts run-time register operands with `.into()`, even when they already are u8.
#![allow(clippy::useless_conversion)]

use super::plan::{ArithKind, CompareKind, FunctionPlan, LoopPlan, Operand, Step};
use super::ElemKind;
use crate::vm::userdata::{NATIVE_ERROR, NATIVE_NEW_OBJECT, NATIVE_NO_RESULT, NATIVE_RAN_LUA};
use crate::vm::value::tag;
use dynasmrt::x64::Assembler;
use dynasmrt::{dynasm, AssemblyOffset, DynamicLabel, DynasmApi, DynasmLabelApi, ExecutableBuffer};

/// The machine code of a compiled loop: `(regs, lua, constants, base, interrupt, upvalues)
/// -> pc`.
pub(crate) type LoopEntry = unsafe extern "sysv64" fn(
    regs: *mut crate::Value,
    lua: *mut crate::Lua,
    constants: *const crate::Value,
    base: usize,
    interrupt: *const u8,
    upvalues: *const usize,
) -> u64;

/// Called by a compiled loop after a call made a new object: reaches a GC safe point when
/// one is due, with the frame's registers live up to `live` (relative to `base`), and
/// returns where the frame's registers are now.
pub(crate) type SafePointFn =
    unsafe extern "sysv64" fn(lua: *mut crate::Lua, base: usize, live: usize) -> *mut crate::Value;

/// A compiled loop's code, and its entry.
pub(crate) struct LoopCode {
    _buffer: ExecutableBuffer,
    pub entry: LoopEntry,
}

/// Byte offset of register `r`'s tag word, and of its payload word.
fn tag_at(r: u32) -> i32 {
    (r * 16) as i32
}
fn word_at(r: u32) -> i32 {
    (r * 16 + 8) as i32
}

/// What the emitter must know of the runtime's objects besides values.
pub(crate) struct Layout {
    /// The safe point a loop calls after a call made a new object.
    pub safe_point: SafePointFn,
    /// Offset, from an upvalue object's address, of its pointer to its variable.
    pub upvalue_variable: i32,
    /// Offsets, from the runtime's address, of the pointer to the heap's allocated-bytes count
    /// and of the heap's collection threshold (a safe point is only worth calling when the
    /// count reached the threshold).
    pub heap_allocated: i32,
    pub heap_threshold: i32,
}

/// Where the code of each instruction starts, and where the loop stops.
struct Labels {
    body_pc: usize,
    /// One per instruction of the body and one for the `ForLoop`.
    at: Vec<DynamicLabel>,
    /// Exits: one per instruction that can stop the loop, each `eax = pc; jmp epilogue`.
    exits: Vec<(DynamicLabel, usize)>,
}

impl Labels {
    fn at(&self, pc: usize) -> DynamicLabel {
        self.at[pc - self.body_pc]
    }

    fn exit(&mut self, ops: &mut Assembler, pc: usize) -> DynamicLabel {
        let l = ops.new_dynamic_label();
        self.exits.push((l, pc));
        l
    }
}

/// Emits the loop; `None` when the assembler fails (no executable memory).
pub(crate) fn emit_loop(plan: &LoopPlan, layout: &Layout) -> Option<LoopCode> {
    emit(plan.body_pc..plan.forloop_pc + 1, &plan.steps, layout, |ops, labels, body| {
        // The `for` counters are integers (the interpreter entered from an integer `ForLoop`,
        // and no body instruction writes them): checked once, on entry.
        let top = ops.new_dynamic_label();
        let at_top = labels.exit(ops, plan.body_pc);
        for r in plan.for_a..plan.for_a + 3 {
            dynasm!(ops ; .arch x64 ; cmp BYTE [rbx + tag_at(r)], tag::INT as i8 ; jne =>at_top);
        }
        dynasm!(ops
            ; .arch x64
            ; =>top
            ; cmp BYTE [r14], 0
            ; jne =>at_top
        );
        body(ops, labels);
        // ForLoop: R[A+1] counts the iterations left; R[A] += R[A+2]; R[A+3] := R[A].
        let a = plan.for_a;
        let done = labels.exit(ops, plan.forloop_pc + 1);
        let forloop = labels.at(plan.forloop_pc);
        dynasm!(ops
            ; .arch x64
            ; =>forloop
            ; mov rax, QWORD [rbx + word_at(a + 1)]
            ; test rax, rax
            ; jz =>done
            ; dec rax
            ; mov QWORD [rbx + word_at(a + 1)], rax
            ; mov rax, QWORD [rbx + word_at(a)]
            ; add rax, QWORD [rbx + word_at(a + 2)]
            ; mov QWORD [rbx + word_at(a)], rax
            ; mov QWORD [rbx + tag_at(a + 3)], tag::INT as i32
            ; mov QWORD [rbx + word_at(a + 3)], rax
            ; jmp =>top
        );
    })
}

/// A compiled loop's answer when a call in it raised an error: this bit and the pc of the
/// call (whose register A holds the error value).
pub(crate) const RAISED: u64 = 1 << 30;

/// A compiled function's answer when it returned: this bit, and the register of its result
/// in the low 16 bits (`NO_RESULT` for none). Any other answer is the pc where it stopped.
pub(crate) const RETURNED: u64 = 1 << 31;
pub(crate) const NO_RESULT: u64 = 0xffff;

/// Emits a whole function (for callbacks): it runs from its first instruction and answers
/// `RETURNED | register` at a return, or the pc where it stopped.
pub(crate) fn emit_function(plan: &FunctionPlan, len: usize, layout: &Layout) -> Option<LoopCode> {
    emit(0..len, &plan.steps, layout, |ops, labels, body| body(ops, labels))
}

/// The frame both shapes share: the prologue, the code of `around` (which emits the steps
/// where it calls its `body` argument), the exits and the epilogue. `pcs`: the instructions
/// that get a label (jump targets).
fn emit(
    pcs: std::ops::Range<usize>,
    steps: &[(usize, Step)],
    layout: &Layout,
    around: impl FnOnce(&mut Assembler, &mut Labels, &mut dyn FnMut(&mut Assembler, &mut Labels)),
) -> Option<LoopCode> {
    let mut ops = Assembler::new().ok()?;
    let start: AssemblyOffset = ops.offset();
    let epilogue = ops.new_dynamic_label();
    let at = pcs.clone().map(|_| ops.new_dynamic_label()).collect();
    let mut labels = Labels { body_pc: pcs.start, at, exits: Vec::new() };
    dynasm!(ops
        ; .arch x64
        ; push rbp
        ; push rbx
        ; push r12
        ; push r13
        ; push r14
        ; push r15
        // Six pushes after the return address: 8 more bytes keep calls 16-byte aligned.
        ; sub rsp, 8
        ; mov rbx, rdi
        ; mov r12, rsi
        ; mov r13, rdx
        ; mov r15, rcx
        ; mov r14, r8
        ; mov rbp, r9
    );
    let mut body = |ops: &mut Assembler, labels: &mut Labels| {
        for &(pc, ref step) in steps {
            let here = labels.at(pc);
            dynasm!(ops ; .arch x64 ; =>here);
            emit_step(ops, pc, step, labels, layout, epilogue);
        }
    };
    around(&mut ops, &mut labels, &mut body);
    for (label, pc) in labels.exits {
        dynasm!(ops ; .arch x64 ; =>label ; mov eax, pc as i32 ; jmp =>epilogue);
    }
    dynasm!(ops
        ; .arch x64
        ; =>epilogue
        ; add rsp, 8
        ; pop r15
        ; pop r14
        ; pop r13
        ; pop r12
        ; pop rbx
        ; pop rbp
        ; ret
    );
    let buffer = ops.finalize().ok()?;
    // SAFETY: the buffer holds the function emitted above from `start`, which follows the
    // System V convention with `LoopEntry`'s parameters (every call inside it is made with
    // the stack 16-byte aligned), and lives as long as `LoopCode`.
    let entry: LoopEntry = unsafe { std::mem::transmute::<*const u8, LoopEntry>(buffer.ptr(start)) };
    Some(LoopCode { _buffer: buffer, entry })
}

fn emit_step(
    ops: &mut Assembler,
    pc: usize,
    step: &Step,
    labels: &mut Labels,
    layout: &Layout,
    epilogue: DynamicLabel,
) {
    match *step {
        Step::GetElem { a, b, index, elem } => {
            let at = (index * elem.size()) as i32;
            dynasm!(ops ; .arch x64 ; mov rcx, QWORD [rbx + word_at(b)]);
            match elem {
                ElemKind::I8 => dynasm!(ops ; .arch x64 ; movsx rax, BYTE [rcx + at]),
                ElemKind::U8 => dynasm!(ops ; .arch x64 ; movzx eax, BYTE [rcx + at]),
                ElemKind::I16 => dynasm!(ops ; .arch x64 ; movsx rax, WORD [rcx + at]),
                ElemKind::U16 => dynasm!(ops ; .arch x64 ; movzx eax, WORD [rcx + at]),
                ElemKind::I32 => dynasm!(ops ; .arch x64 ; movsxd rax, DWORD [rcx + at]),
                ElemKind::U32 => dynasm!(ops ; .arch x64 ; mov eax, DWORD [rcx + at]),
                ElemKind::I64 | ElemKind::U64 => dynasm!(ops ; .arch x64 ; mov rax, QWORD [rcx + at]),
                ElemKind::F32 => dynasm!(ops ; .arch x64 ; cvtss2sd xmm0, DWORD [rcx + at] ; movq rax, xmm0),
                ElemKind::F64 => dynasm!(ops ; .arch x64 ; mov rax, QWORD [rcx + at]),
            }
            let t = if matches!(elem, ElemKind::F32 | ElemKind::F64) { tag::FLOAT } else { tag::INT };
            store_tagged(ops, a, t);
        }
        Step::Return { a } => {
            let answer = RETURNED | a.map_or(NO_RESULT, u64::from);
            dynasm!(ops ; .arch x64 ; mov eax, answer as i32 ; jmp =>epilogue);
        }
        Step::Move { a, b } => copy_to_register(ops, Operand::Reg(b), a),
        Step::LoadInt { a, value } => {
            dynasm!(ops ; .arch x64 ; mov rax, QWORD value);
            store_tagged(ops, a, tag::INT);
        }
        Step::LoadFloat { a, bits } => {
            dynasm!(ops ; .arch x64 ; mov rax, QWORD bits as i64);
            store_tagged(ops, a, tag::FLOAT);
        }
        Step::LoadConst { a, k } => copy_to_register(ops, Operand::Const(k), a),
        Step::LoadBool { a, value } => {
            dynasm!(ops ; .arch x64 ; mov eax, value as i32);
            store_tagged(ops, a, tag::BOOL);
        }
        Step::LoadNil { a, n } => {
            for r in a..a + n {
                dynasm!(ops ; .arch x64 ; mov QWORD [rbx + tag_at(r)], tag::NIL as i32);
            }
        }
        Step::GetUpval { a, b } => dynasm!(ops
            ; .arch x64
            ; mov rax, QWORD [rbp + (b * 8) as i32]
            ; mov rax, QWORD [rax + layout.upvalue_variable]
            ; mov rcx, QWORD [rax]
            ; mov rdx, QWORD [rax + 8]
            ; mov QWORD [rbx + tag_at(a)], rcx
            ; mov QWORD [rbx + word_at(a)], rdx
        ),
        Step::SetUpval { a, b } => dynasm!(ops
            ; .arch x64
            ; mov rax, QWORD [rbp + (b * 8) as i32]
            ; mov rax, QWORD [rax + layout.upvalue_variable]
            ; mov rcx, QWORD [rbx + tag_at(a)]
            ; mov rdx, QWORD [rbx + word_at(a)]
            ; mov QWORD [rax], rcx
            ; mov QWORD [rax + 8], rdx
        ),
        Step::Arith { op, a, x, y } => {
            let exit = labels.exit(ops, pc);
            emit_arith(ops, exit, op, a, x, y)
        }
        Step::IntDivision { modulo, a, x, y } => {
            let exit = labels.exit(ops, pc);
            emit_int_division(ops, exit, modulo, a, x, y)
        }
        Step::Compare { op, x, y, k } => {
            let exit = labels.exit(ops, pc);
            emit_compare(ops, exit, labels.at(pc + 2), op, x, y, k)
        }
        Step::Test { a, k } => {
            // Skip the jump when truthy ~= k.
            let (skip, next) = (labels.at(pc + 2), labels.at(pc + 1));
            let (when_truthy, when_falsy) = if k { (next, skip) } else { (skip, next) };
            branch_on_truth(ops, a, when_truthy, when_falsy);
        }
        Step::TestSet { a, b, k } => {
            // Skip the jump when truthy ~= k; else copy and take it.
            let (skip, copy) = (labels.at(pc + 2), ops.new_dynamic_label());
            let (when_truthy, when_falsy) = if k { (copy, skip) } else { (skip, copy) };
            branch_on_truth(ops, b, when_truthy, when_falsy);
            dynasm!(ops ; .arch x64 ; =>copy);
            copy_to_register(ops, Operand::Reg(b), a);
        }
        Step::Jump { target } => {
            let to = labels.at(target);
            dynasm!(ops ; .arch x64 ; jmp =>to);
        }
        Step::NativeCall { a, keep_result, callee, call } => {
            let exit = labels.exit(ops, pc);
            let no_result = ops.new_dynamic_label();
            let safe_point = ops.new_dynamic_label();
            let next = ops.new_dynamic_label();
            let raised = RAISED | pc as u64;
            dynasm!(ops
                ; .arch x64
                // The callee is still the C function the loop was compiled for.
                ; cmp BYTE [rbx + tag_at(a)], tag::USER_DATA as i8
                ; jne =>exit
                ; mov rax, QWORD callee.addr() as i64
                ; cmp QWORD [rbx + word_at(a)], rax
                ; jne =>exit
                ; mov rdi, QWORD call.data as i64
                ; lea rsi, [rbx + tag_at(a + 1)]
                ; lea rdx, [rbx + tag_at(a)]
                ; mov rcx, r12
                ; mov rax, QWORD call.entry as usize as i64
                ; call rax
                // Declined: nothing happened; the interpreter makes the call.
                ; test rax, rax
                ; jz =>exit
                ; cmp rax, NATIVE_NO_RESULT as i32
                ; je =>no_result
                // A callback's error: the interpreter raises it (the value is in R[a]).
                ; cmp rax, NATIVE_ERROR as i32
                ; jne >made
                ; mov eax, raised as i32
                ; jmp =>epilogue
                ; made:
                // Lua code ran (the stack may have moved): a safe point, which also says where
                // the registers are now. A new object: a safe point when a collection is due.
                ; cmp rax, NATIVE_RAN_LUA as i32
                ; je =>safe_point
                ; cmp rax, NATIVE_NEW_OBJECT as i32
                ; jne =>next
                ; mov rax, QWORD [r12 + layout.heap_allocated]
                ; mov rax, QWORD [rax]
                ; cmp rax, QWORD [r12 + layout.heap_threshold]
                ; jb =>next
                ; =>safe_point
                ; mov rdi, r12
                ; mov rsi, r15
                ; mov rdx, (a + 1) as i32
                ; mov rax, QWORD layout.safe_point as usize as i64
                ; call rax
                ; mov rbx, rax
                ; jmp =>next
                ; =>no_result
            );
            if keep_result {
                dynasm!(ops ; .arch x64 ; mov QWORD [rbx + tag_at(a)], tag::NIL as i32);
            }
            dynasm!(ops ; .arch x64 ; =>next);
        }
    }
}

/// Jumps to `truthy` or `falsy` by R[a]'s truth (falsy: nil, or false: a boolean whose
/// payload byte is 0).
fn branch_on_truth(ops: &mut Assembler, a: u32, truthy: DynamicLabel, falsy: DynamicLabel) {
    dynasm!(ops
        ; .arch x64
        ; cmp BYTE [rbx + tag_at(a)], tag::NIL as i8
        ; je =>falsy
        ; cmp BYTE [rbx + tag_at(a)], tag::BOOL as i8
        ; jne =>truthy
        ; cmp BYTE [rbx + word_at(a)], 0
        ; je =>falsy
        ; jmp =>truthy
    );
}

/// `R[a] := x` (a register or constant), copied as its two words.
fn copy_to_register(ops: &mut Assembler, x: Operand, a: u32) {
    let Some((base, i)) = slot(x) else { unreachable!("immediates are not copied") };
    dynasm!(ops
        ; .arch x64
        ; mov rax, QWORD [Rq(base) + tag_at(i)]
        ; mov rcx, QWORD [Rq(base) + word_at(i)]
        ; mov QWORD [rbx + tag_at(a)], rax
        ; mov QWORD [rbx + word_at(a)], rcx
    );
}

/// `R[a] := rax` with tag `t`.
fn store_tagged(ops: &mut Assembler, a: u32, t: u8) {
    dynasm!(ops
        ; .arch x64
        ; mov QWORD [rbx + tag_at(a)], t as i32
        ; mov QWORD [rbx + word_at(a)], rax
    );
}

/// Goes on with integers when both operands are (an immediate is either), jumps to `floats`
/// when the first register or constant operand is not an integer, and to `other_not_int`
/// when only the other one is not.
fn dispatch_kinds(ops: &mut Assembler, x: Operand, y: Operand, floats: DynamicLabel, other_not_int: DynamicLabel) {
    let (first, other) = if let Operand::Imm(_) = x { (y, x) } else { (x, y) };
    check_tag(ops, first, tag::INT, floats);
    check_tag(ops, other, tag::INT, other_not_int);
}

/// `R[a] := x op y`: both integers (wrapping, as Lua's), else floats (an integer operand
/// converted; `/` always); anything but numbers exits.
fn emit_arith(ops: &mut Assembler, exit: DynamicLabel, op: ArithKind, a: u32, x: Operand, y: Operand) {
    let floats = ops.new_dynamic_label();
    let next = ops.new_dynamic_label();
    // `/` works on floats, whatever the operands; the others on integers when both are.
    if op != ArithKind::Div {
        // Mixed kinds take the float path too: it converts the integer.
        dispatch_kinds(ops, x, y, floats, floats);
        load_int(ops, x);
        match (op, slot(y)) {
            (ArithKind::Add, None) => dynasm!(ops ; .arch x64 ; add rax, immediate(y) as i32),
            (ArithKind::Sub, None) => dynasm!(ops ; .arch x64 ; sub rax, immediate(y) as i32),
            (ArithKind::Mul, None) => dynasm!(ops ; .arch x64 ; imul rax, rax, immediate(y) as i32),
            (ArithKind::Add, Some((base, i))) => dynasm!(ops ; .arch x64 ; add rax, QWORD [Rq(base) + word_at(i)]),
            (ArithKind::Sub, Some((base, i))) => dynasm!(ops ; .arch x64 ; sub rax, QWORD [Rq(base) + word_at(i)]),
            (ArithKind::Mul, Some((base, i))) => dynasm!(ops ; .arch x64 ; imul rax, QWORD [Rq(base) + word_at(i)]),
            (ArithKind::Div, _) => unreachable!("`/` has no integer path"),
        }
        store_tagged(ops, a, tag::INT);
        dynasm!(ops ; .arch x64 ; jmp =>next);
    }
    dynasm!(ops ; .arch x64 ; =>floats);
    // Floats, an integer operand converted (as Lua converts mixed operands).
    load_as_float(ops, x, 0, exit);
    load_as_float(ops, y, 1, exit);
    match op {
        ArithKind::Add => dynasm!(ops ; .arch x64 ; addsd xmm0, xmm1),
        ArithKind::Sub => dynasm!(ops ; .arch x64 ; subsd xmm0, xmm1),
        ArithKind::Mul => dynasm!(ops ; .arch x64 ; mulsd xmm0, xmm1),
        ArithKind::Div => dynasm!(ops ; .arch x64 ; divsd xmm0, xmm1),
    }
    dynasm!(ops ; .arch x64 ; movq rax, xmm0);
    store_tagged(ops, a, tag::FLOAT);
    dynasm!(ops ; .arch x64 ; =>next);
}

/// `R[a] := x % y` or `x // y`, floored as Lua's, on two integers with `y ~= 0`; exits
/// otherwise.
fn emit_int_division(ops: &mut Assembler, exit: DynamicLabel, modulo: bool, a: u32, x: Operand, y: Operand) {
    check_tag(ops, x, tag::INT, exit);
    check_tag(ops, y, tag::INT, exit);
    load_int(ops, y);
    dynasm!(ops
        ; .arch x64
        ; mov rcx, rax
        ; test rcx, rcx
        ; jz =>exit
    );
    load_int(ops, x);
    dynasm!(ops
        ; .arch x64
        // x // -1 is -x (wrapping) and x % -1 is 0: idiv would trap on the most negative x.
        ; cmp rcx, -1
        ; jne >divide
    );
    if modulo {
        dynasm!(ops ; .arch x64 ; xor eax, eax);
    } else {
        dynasm!(ops ; .arch x64 ; neg rax);
    }
    dynasm!(ops
        ; .arch x64
        ; jmp >store
        ; divide:
        ; cqo
        ; idiv rcx
        // rax = truncated quotient, rdx = remainder with x's sign. Floored: when the remainder
        // is not zero and its sign differs from y's, the quotient is one less and the
        // remainder y more.
        ; test rdx, rdx
        ; jz >exact
        ; mov r8, rdx
        ; xor r8, rcx
        ; jns >exact
        ; dec rax
        ; add rdx, rcx
        ; exact:
    );
    if modulo {
        dynasm!(ops ; .arch x64 ; mov rax, rdx);
    }
    dynasm!(ops ; .arch x64 ; store:);
    store_tagged(ops, a, tag::INT);
}

/// Jumps to `otherwise` unless operand `x` has tag `t` (an immediate passes: it is used as
/// an integer or converted to a float).
fn check_tag(ops: &mut Assembler, x: Operand, t: u8, otherwise: DynamicLabel) {
    if let Some((base, i)) = slot(x) {
        dynasm!(ops ; .arch x64 ; cmp BYTE [Rq(base) + tag_at(i)], t as i8 ; jne =>otherwise);
    }
}

/// Jumps to `skip` when `(x op y) ~= k` on two integers or two floats; exits otherwise.
fn emit_compare(
    ops: &mut Assembler,
    exit: DynamicLabel,
    skip: DynamicLabel,
    op: CompareKind,
    x: Operand,
    y: Operand,
    k: bool,
) {
    let floats = ops.new_dynamic_label();
    let holds = ops.new_dynamic_label();
    let next = ops.new_dynamic_label();
    dispatch_kinds(ops, x, y, floats, exit);
    load_int(ops, x);
    dynasm!(ops ; .arch x64 ; mov rcx, rax);
    load_int(ops, y);
    dynasm!(ops ; .arch x64 ; cmp rcx, rax);
    match op {
        CompareKind::Lt => dynasm!(ops ; .arch x64 ; jl =>holds),
        CompareKind::Le => dynasm!(ops ; .arch x64 ; jle =>holds),
        CompareKind::Eq => dynasm!(ops ; .arch x64 ; je =>holds),
    }
    dynasm!(ops ; .arch x64 ; jmp >fails ; =>floats);
    check_tag(ops, x, tag::FLOAT, exit);
    check_tag(ops, y, tag::FLOAT, exit);
    load_float(ops, x, 0);
    load_float(ops, y, 1);
    // ucomisd sets ZF, PF and CF when either is NaN: then no comparison holds.
    match op {
        CompareKind::Lt => dynasm!(ops ; .arch x64 ; ucomisd xmm1, xmm0 ; ja =>holds),
        CompareKind::Le => dynasm!(ops ; .arch x64 ; ucomisd xmm1, xmm0 ; jae =>holds),
        CompareKind::Eq => dynasm!(ops ; .arch x64 ; ucomisd xmm0, xmm1 ; jp >fails ; je =>holds),
    }
    // The comparison failed: skip when k (false ~= true).
    dynasm!(ops ; .arch x64 ; fails:);
    if k {
        dynasm!(ops ; .arch x64 ; jmp =>skip);
    } else {
        dynasm!(ops ; .arch x64 ; jmp =>next);
    }
    dynasm!(ops ; .arch x64 ; =>holds);
    if !k {
        dynasm!(ops ; .arch x64 ; jmp =>skip);
    }
    dynasm!(ops ; .arch x64 ; =>next);
}

/// rax := the integer operand `x` (its tag checked).
fn load_int(ops: &mut Assembler, x: Operand) {
    match slot(x) {
        Some((base, n)) => dynasm!(ops ; .arch x64 ; mov rax, QWORD [Rq(base) + word_at(n)]),
        None => dynasm!(ops ; .arch x64 ; mov rax, QWORD immediate(x)),
    }
}

/// Where operand `x` lives: the base register of its array (the frame's registers or the
/// constants) and its index there; `None` for an immediate.
fn slot(x: Operand) -> Option<(u8, u32)> {
    match x {
        Operand::Reg(r) => Some((RBX, r)),
        Operand::Const(k) => Some((R13, k)),
        Operand::Imm(_) => None,
    }
}

fn immediate(x: Operand) -> i64 {
    match x {
        Operand::Imm(v) => v,
        _ => unreachable!("only immediates have no slot"),
    }
}

const RBX: u8 = 3;
const R13: u8 = 13;

/// xmm`n` := the number operand `x` as a float: a float, or an integer converted; exits for
/// anything else.
fn load_as_float(ops: &mut Assembler, x: Operand, n: u8, exit: DynamicLabel) {
    let Some((base, i)) = slot(x) else { return load_float(ops, x, n) };
    let int = ops.new_dynamic_label();
    let done = ops.new_dynamic_label();
    dynasm!(ops
        ; .arch x64
        ; cmp BYTE [Rq(base) + tag_at(i)], tag::INT as i8
        ; je =>int
        ; cmp BYTE [Rq(base) + tag_at(i)], tag::FLOAT as i8
        ; jne =>exit
        ; movsd Rx(n), QWORD [Rq(base) + word_at(i)]
        ; jmp =>done
        ; =>int
        ; cvtsi2sd Rx(n), QWORD [Rq(base) + word_at(i)]
        ; =>done
    );
}

/// xmm`n` := the float operand `x` (its tag checked; an immediate is converted).
fn load_float(ops: &mut Assembler, x: Operand, n: u8) {
    match slot(x) {
        Some((base, i)) => dynasm!(ops ; .arch x64 ; movsd Rx(n), QWORD [Rq(base) + word_at(i)]),
        None => dynasm!(ops
            ; .arch x64
            ; mov rax, QWORD (immediate(x) as f64).to_bits() as i64
            ; movq Rx(n), rax
        ),
    }
}
