# Writes OUTPUT, a C++ source holding the bytes of each file of FILES (","-separated paths under
# WEB_DIR) as an array, and the table kWebFiles that tools/serve/page.cpp serves them from; plus
# /event_types.js, every event type of SCHEMA (events/events.fbs): the pages listen to each by name,
# and the schema stays the one list of them. Run at build time by tools/serve/CMakeLists.txt
# (cmake -P), again whenever one of these files changes.
set(arrays "")
set(table "")
set(index 0)
function(embed path hex)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  # A terminating 0 keeps an empty file a valid array; the size leaves it out.
  string(APPEND arrays "const unsigned char kFile${index}[] = {${bytes}0};\n")
  string(APPEND table "    {\"${path}\", kFile${index}, sizeof kFile${index} - 1},\n")
  math(EXPR index "${index} + 1")
  set(arrays "${arrays}" PARENT_SCOPE)
  set(table "${table}" PARENT_SCOPE)
  set(index "${index}" PARENT_SCOPE)
endfunction()

string(REPLACE "," ";" files "${FILES}")
foreach(name IN LISTS files)
  file(READ "${WEB_DIR}/${name}" hex HEX)
  embed("/${name}" "${hex}")
endforeach()

file(STRINGS "${SCHEMA}" declarations REGEX "^table [A-Za-z]+ \\(event: \"[a-z_.]+\"\\)")
set(script "// Generated from events/events.fbs by tools/serve/embed_web.cmake: every event type.\n")
string(APPEND script "\"use strict\";\n\nconst kEventTypes = [\n")
foreach(declaration IN LISTS declarations)
  string(REGEX MATCH "event: \"([a-z_.]+)\"" ignored "${declaration}")
  string(APPEND script "  \"${CMAKE_MATCH_1}\",\n")
endforeach()
string(APPEND script "];\n")
string(HEX "${script}" hex)
embed("/event_types.js" "${hex}")

file(WRITE "${OUTPUT}"
     "// Generated from web/ by tools/serve/embed_web.cmake: edit the files there, not this.\n"
     "#include \"tools/serve/page.h\"\n\n"
     "namespace switchboard::serve {\nnamespace {\n${arrays}}  // namespace\n\n"
     "const EmbeddedFile kWebFiles[] = {\n${table}};\n"
     "const std::size_t kWebFileCount = sizeof kWebFiles / sizeof kWebFiles[0];\n\n"
     "}  // namespace switchboard::serve\n")
