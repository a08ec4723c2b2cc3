# Generate the C++ parser from grammar/Policy.g4 at build time, into the build
# tree, with Debian's antlr4 tool. The generated code is quarantined in its own
# library (warnings off, SYSTEM includes); only lib/Parse links it, PRIVATE.
find_program(ANTLR4_TOOL antlr4 REQUIRED)

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
  target_include_directories(${target} SYSTEM PUBLIC ${outdir} ${ANTLR4_INCLUDE_DIR})
  target_link_libraries(${target} PUBLIC antlr4_static)
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()
