# cmake -DIN=file -DOUT=file.inc -P EmbedText.cmake
# Writes the bytes of IN as a C++ raw string literal.
file(READ ${IN} content)
string(FIND "${content}" ")polc\"" bad)
if(NOT bad EQUAL -1)
  message(FATAL_ERROR "${IN} contains the raw string delimiter")
endif()
file(WRITE ${OUT} "R\"polc(${content})polc\"\n")
