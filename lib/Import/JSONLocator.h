//===- JSONLocator.h - where a value sits in a JSON text --------*- C++ -*-===//
//
// llvm::json parses into values without positions. Diagnostics about a
// value (an unknown syscall name, an operator polc cannot express) need its
// line and column, so this scans the already-validated text once more along
// a path of object keys and array indices.
//
//===----------------------------------------------------------------------===//
#ifndef POLC_LIB_IMPORT_JSONLOCATOR_H
#define POLC_LIB_IMPORT_JSONLOCATOR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstddef>
#include <string>
#include <variant>

namespace polc::import {

/// One step of a path: an object key or an array index.
using PathStep = std::variant<std::string, size_t>;

/// The offset in \p text (valid JSON) of the value at \p path, or of the
/// deepest value on the path that exists.
size_t locateJSON(llvm::StringRef text, llvm::ArrayRef<PathStep> path);

} // namespace polc::import

#endif
