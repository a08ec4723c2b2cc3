//===- Conditions.cpp -----------------------------------------------------===//
#include "polc/Sema/Conditions.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <set>

using namespace polc;
using namespace polc::sema;
using ast::CmpOp;
using ast::Condition;
using ast::Operand;
using Op = ArgTest::Op;

namespace {

constexpr size_t MaxConjunctions = 64;
constexpr uint64_t Full64 = ~uint64_t(0);
constexpr uint64_t Low32 = 0xffffffffu;

bool isEquality(const ArgTest &t) { return t.op == Op::EQ || t.op == Op::MaskedEQ; }
uint64_t maskOf(const ArgTest &t) { return t.op == Op::EQ ? Full64 : t.mask; }

bool holds(const ArgTest &t, uint64_t x) {
  switch (t.op) {
  case Op::EQ: return x == t.value;
  case Op::NE: return x != t.value;
  case Op::LT: return x < t.value;
  case Op::LE: return x <= t.value;
  case Op::GT: return x > t.value;
  case Op::GE: return x >= t.value;
  case Op::MaskedEQ: return (x & t.mask) == t.value;
  }
  return false;
}

Op negate(Op op) {
  switch (op) {
  case Op::EQ: return Op::NE;
  case Op::NE: return Op::EQ;
  case Op::LT: return Op::GE;
  case Op::LE: return Op::GT;
  case Op::GT: return Op::LE;
  case Op::GE: return Op::LT;
  case Op::MaskedEQ: break;
  }
  return op;
}

Op fromAst(CmpOp op) {
  switch (op) {
  case CmpOp::EQ: return Op::EQ;
  case CmpOp::NE: return Op::NE;
  case CmpOp::LT: return Op::LT;
  case CmpOp::LE: return Op::LE;
  case CmpOp::GT: return Op::GT;
  case CmpOp::GE: return Op::GE;
  }
  return Op::EQ;
}

/// `a OP b` read as `b OP' a`.
Op mirror(Op op) {
  switch (op) {
  case Op::LT: return Op::GT;
  case Op::LE: return Op::GE;
  case Op::GT: return Op::LT;
  case Op::GE: return Op::LE;
  default: return op;
  }
}

class Lowerer {
public:
  Lowerer(llvm::StringRef syscall, kb::Arch arch,
          const std::vector<kb::SyscallArg> &sig,
          const ConditionReporter &report)
      : syscall(syscall), arch(arch), sig(sig), report(report) {}

  std::optional<DNF> run(const Condition &c) {
    DNF d = lower(c, /*neg=*/false);
    if (failed)
      return std::nullopt;
    // Identical conjunctions once, in a stable order.
    std::set<std::vector<ArgTest>> seen;
    DNF out;
    for (Conjunction &conj : d)
      if (seen.insert(std::vector<ArgTest>(conj.begin(), conj.end())).second)
        out.push_back(std::move(conj));
    return out;
  }

private:
  void error(DiagID id, llvm::SMRange r, llvm::ArrayRef<std::string> args = {}) {
    failed = true;
    report(id, r, args);
  }

  const kb::SyscallArg *findArg(llvm::StringRef name) {
    for (const kb::SyscallArg &a : sig)
      if (a.name == name)
        return &a;
    return nullptr;
  }

  std::optional<uint64_t> termValue(const Operand::Term &t) {
    if (!t.name.empty()) {
      if (std::optional<uint64_t> v = kb::lookupConstant(t.name, arch))
        return v;
      std::vector<llvm::StringRef> cands = kb::getConstantNames();
      for (const kb::SyscallArg &a : sig)
        cands.push_back(a.name);
      error(DiagID::err_condition_unknown_name, t.range,
            {t.name, syscall.str(), didYouMean(t.name, cands)});
      return std::nullopt;
    }
    llvm::StringRef text(t.number);
    bool negative = text.consume_front("-");
    unsigned long long v = 0;
    // Negative numbers go down to INT64_MIN; below, -v would wrap around.
    if (text.getAsInteger(0, v) || (negative && v > (uint64_t(1) << 63))) {
      error(DiagID::err_condition_bad_number, t.range, {t.number});
      return std::nullopt;
    }
    return negative ? uint64_t(0) - uint64_t(v) : uint64_t(v);
  }

  /// All terms constants: their AND.
  std::optional<uint64_t> constantValue(const Operand &o) {
    uint64_t v = Full64;
    for (const Operand::Term &t : o.terms) {
      std::optional<uint64_t> tv = termValue(t);
      if (!tv)
        return std::nullopt;
      v &= *tv;
    }
    return v;
  }

  bool namesArgument(const Operand &o) {
    return !o.terms.empty() && !o.terms[0].name.empty() &&
           findArg(o.terms[0].name);
  }

  /// The tests of `argSide OP valueSide`, negated if \p neg.
  DNF atom(const Operand &argSide, Op op, const Operand &valueSide, bool neg,
           llvm::SMRange where) {
    const kb::SyscallArg *arg = findArg(argSide.terms[0].name);
    if (arg->type == kb::ArgType::Ptr) {
      error(DiagID::err_condition_pointer, argSide.terms[0].range,
            {arg->name.str(), syscall.str()});
      return {};
    }
    bool is32 = kb::isArgType32Bit(arg->type);
    uint64_t width = is32 ? Low32 : Full64;
    uint64_t mask = width;
    for (size_t i = 1; i < argSide.terms.size(); ++i) {
      std::optional<uint64_t> m = termValue(argSide.terms[i]);
      if (!m)
        return {};
      mask &= *m;
    }
    std::optional<uint64_t> value = constantValue(valueSide);
    if (!value)
      return {};
    if (is32) {
      // A 32-bit value written as a negative number or as its unsigned
      // pattern; anything wider cannot be the argument.
      bool fits = *value <= Low32 || (*value >> 31) == (Full64 >> 31);
      if (!fits) {
        error(DiagID::err_condition_value_range, valueSide.range,
              {llvm::utostr(*value), arg->name.str()});
        return {};
      }
      *value &= Low32;
    }
    if (neg)
      op = negate(op);
    bool masked = mask != Full64;
    if (op != Op::EQ && op != Op::NE) {
      if (mask != width) {
        error(DiagID::err_condition_mask_op, where);
        return {};
      }
      if (is32) {
        error(DiagID::err_condition_ordering_32bit, where,
              {arg->name.str(), syscall.str()});
        return {};
      }
      if (arg->type == kb::ArgType::Long) {
        error(DiagID::err_condition_ordering_signed, where,
              {arg->name.str(), syscall.str()});
        return {};
      }
      return {Conjunction{ArgTest{arg->index, op, Full64, *value}}};
    }
    if (!masked)
      return {Conjunction{ArgTest{arg->index, op, Full64, *value}}};
    // (x & m) == v; never true when v has bits outside m.
    bool possible = (*value & ~mask) == 0;
    if (op == Op::EQ) {
      if (!possible)
        return {};
      return {Conjunction{ArgTest{arg->index, Op::MaskedEQ, mask, *value}}};
    }
    // (x & m) != v: some bit of m differs from v's, one rule per bit.
    if (!possible)
      return {Conjunction{}};
    DNF out;
    for (unsigned b = 0; b < 64; ++b) {
      uint64_t bit = uint64_t(1) << b;
      if (mask & bit)
        out.push_back({ArgTest{arg->index, Op::MaskedEQ, bit, ~*value & bit}});
    }
    return out;
  }

  DNF comparison(const Operand &lhs, Op op, const Operand &rhs, bool neg,
                 llvm::SMRange where) {
    if (namesArgument(lhs))
      return atom(lhs, op, rhs, neg, where);
    if (namesArgument(rhs))
      return atom(rhs, mirror(op), lhs, neg, where);
    // No argument: unknown names are the likely cause; report them.
    for (const Operand *o : {&lhs, &rhs})
      for (const Operand::Term &t : o->terms)
        if (!t.name.empty() && !kb::lookupConstant(t.name, arch)) {
          termValue(t);
          return {};
        }
    error(DiagID::err_condition_no_argument, where, {syscall.str()});
    return {};
  }

  DNF lower(const Condition &c, bool neg) {
    switch (c.kind) {
    case Condition::Kind::Not:
      return lower(*c.children[0], !neg);
    case Condition::Kind::Or:
    case Condition::Kind::And: {
      DNF a = lower(*c.children[0], neg);
      DNF b = lower(*c.children[1], neg);
      bool isOr = (c.kind == Condition::Kind::Or) != neg;
      return isOr ? orOf(std::move(a), std::move(b)) : andOf(a, b, c.range);
    }
    case Condition::Kind::Cmp:
      return comparison(c.lhs, fromAst(c.op), c.rhs, neg, c.range);
    case Condition::Kind::In: {
      bool positive = c.negatedIn == neg; // `in`, or `not (x not in ...)`
      DNF acc = positive ? DNF{} : DNF{Conjunction{}};
      for (const Operand &v : c.set) {
        DNF one = comparison(c.lhs, Op::EQ, v, /*neg=*/!positive, c.range);
        acc = positive ? orOf(std::move(acc), std::move(one))
                       : andOf(acc, one, c.range);
        if (failed)
          return {};
      }
      return acc;
    }
    }
    return {};
  }

  DNF orOf(DNF a, DNF b) {
    for (Conjunction &c : b)
      a.push_back(std::move(c));
    checkSize(a.size(), {});
    return a;
  }

  DNF andOf(const DNF &a, const DNF &b, llvm::SMRange where) {
    DNF out;
    for (const Conjunction &x : a)
      for (const Conjunction &y : b) {
        std::optional<Conjunction> m = merge(x, y, where);
        if (failed)
          return {};
        if (m)
          out.push_back(std::move(*m));
        if (!checkSize(out.size(), where))
          return {};
      }
    return out;
  }

  bool checkSize(size_t n, llvm::SMRange where) {
    if (n <= MaxConjunctions || failed)
      return !failed;
    error(DiagID::err_condition_too_complex, where,
          {std::to_string(MaxConjunctions)});
    return false;
  }

  /// x and y as one conjunction; std::nullopt when they contradict.
  std::optional<Conjunction> merge(const Conjunction &x, const Conjunction &y,
                                   llvm::SMRange where) {
    Conjunction out(x.begin(), x.end());
    for (const ArgTest &t : y) {
      auto it = llvm::find_if(out, [&](const ArgTest &o) { return o.arg == t.arg; });
      if (it == out.end()) {
        out.push_back(t);
        continue;
      }
      ArgTest &o = *it;
      if (o == t)
        continue;
      if (isEquality(o) && isEquality(t)) {
        uint64_t m1 = maskOf(o), m2 = maskOf(t);
        if ((o.value ^ t.value) & m1 & m2)
          return std::nullopt;
        uint64_t m = m1 | m2;
        o = m == Full64 ? ArgTest{t.arg, Op::EQ, Full64, o.value | t.value}
                        : ArgTest{t.arg, Op::MaskedEQ, m, o.value | t.value};
        continue;
      }
      // An exact value decides the other comparison.
      if (o.op == Op::EQ) {
        if (!holds(t, o.value))
          return std::nullopt;
        continue;
      }
      if (t.op == Op::EQ) {
        if (!holds(o, t.value))
          return std::nullopt;
        o = t;
        continue;
      }
      std::string name;
      for (const kb::SyscallArg &a : sig)
        if (a.index == t.arg)
          name = a.name.str();
      error(DiagID::err_condition_same_arg, where, {name});
      return std::nullopt;
    }
    llvm::sort(out);
    return out;
  }

  llvm::StringRef syscall;
  kb::Arch arch;
  const std::vector<kb::SyscallArg> &sig;
  const ConditionReporter &report;
  bool failed = false;
};

} // namespace

std::optional<DNF> sema::lowerCondition(const ast::Condition &cond,
                                        llvm::StringRef syscall, kb::Arch arch,
                                        const ConditionReporter &report) {
  std::optional<std::vector<kb::SyscallArg>> sig =
      kb::getSyscallSignature(syscall, arch);
  if (!sig) {
    report(DiagID::err_condition_no_signature, cond.range, {syscall.str()});
    return std::nullopt;
  }
  return Lowerer(syscall, arch, *sig, report).run(cond);
}
