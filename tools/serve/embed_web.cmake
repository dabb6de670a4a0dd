# Writes OUTPUT, a C++ source holding the bytes of each file of FILES (","-separated paths under
# WEB_DIR) as an array, and the table kWebFiles that tools/serve/page.cpp serves them from.
# Run at build time by tools/serve/CMakeLists.txt (cmake -P), again whenever one of the files changes.
string(REPLACE "," ";" files "${FILES}")
set(arrays "")
set(table "")
set(index 0)
foreach(name IN LISTS files)
  file(READ "${WEB_DIR}/${name}" bytes HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${bytes}")
  # A terminating 0 keeps an empty file a valid array; the size leaves it out.
  string(APPEND arrays "const unsigned char kFile${index}[] = {${bytes}0};\n")
  string(APPEND table "    {\"/${name}\", kFile${index}, sizeof kFile${index} - 1},\n")
  math(EXPR index "${index} + 1")
endforeach()
file(WRITE "${OUTPUT}"
     "// Generated from web/ by tools/serve/embed_web.cmake: edit the files there, not this.\n"
     "#include \"tools/serve/page.h\"\n\n"
     "namespace switchboard::serve {\nnamespace {\n${arrays}}  // namespace\n\n"
     "const EmbeddedFile kWebFiles[] = {\n${table}};\n"
     "const std::size_t kWebFileCount = sizeof kWebFiles / sizeof kWebFiles[0];\n\n"
     "}  // namespace switchboard::serve\n")
