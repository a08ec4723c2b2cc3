# Generate the C++ parser from grammar/Policy.g4 at build time, into the build
# tree, with Debian's antlr4 tool. The generated code is quarantined in its own
# library (warnings off, SYSTEM includes); only lib/Parse links it, PRIVATE.
find_program(ANTLR4_TOOL antlr4 REQUIRED)

# clang (the fuzz build) refuses a header of Debian's ANTLR 4.9 runtime that
# g++ accepts: misc/InterpreterDataReader.h default-constructs a Vocabulary,
# whose const std::vector members make that constructor deleted. polc never
# uses it, so for clang the umbrella header is copied without that include,
# into a directory searched before the runtime's own.
set(POLC_ANTLR_SHIM_DIR "")
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(POLC_ANTLR_SHIM_DIR ${CMAKE_BINARY_DIR}/antlr4-clang-shim)
  file(READ ${ANTLR4_INCLUDE_DIR}/antlr4-runtime.h umbrella)
  string(REPLACE "#include \"misc/InterpreterDataReader.h\"" "" umbrella "${umbrella}")
  file(WRITE ${POLC_ANTLR_SHIM_DIR}/antlr4-runtime.h "${umbrella}")
endif()

function(polc_antlr_grammar target grammar)
  get_filename_component(gname ${grammar} NAME_WE)
  set(outdir ${CMAKE_CURRENT_BINARY_DIR}/${target})
  set(outputs
    ${outdir}/${gname}Lexer.cpp ${outdir}/${gname}Parser.cpp
    ${outdir}/${gname}Visitor.cpp ${outdir}/${gname}BaseVisitor.cpp)
  add_custom_command(
    OUTPUT ${outputs}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${outdir}
    COMMAND ${ANTLR4_TOOL} -Dlanguage=Cpp -visitor -no-listener
            -package polc_grammar -Xexact-output-dir -o ${outdir} ${grammar}
    DEPENDS ${grammar}
    COMMENT "ANTLR: generating ${gname} parser"
    VERBATIM)
  add_library(${target} STATIC ${outputs})
  target_compile_options(${target} PRIVATE -w)
  target_include_directories(${target} SYSTEM PUBLIC ${outdir} ${POLC_ANTLR_SHIM_DIR}
                                              ${ANTLR4_INCLUDE_DIR})
  target_link_libraries(${target} PUBLIC antlr4_static)
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()
