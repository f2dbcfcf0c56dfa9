# Our warning and sanitizer settings, applied PRIVATE to our own targets only, so that
# consumers of the installed library never inherit them. (A function rather than an
# INTERFACE target: an exported static library would have to export that target too.)
function(migsafe_target_settings target)
    target_compile_options(${target} PRIVATE
        -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Wunused
        -Woverloaded-virtual -Wimplicit-fallthrough
        $<$<BOOL:${MIGSAFE_WERROR}>:-Werror>)
    if(MIGSAFE_SANITIZE)
        target_compile_options(${target} PRIVATE
            -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
        target_link_options(${target} PRIVATE -fsanitize=address,undefined)
    endif()
endfunction()

# xxHash is used header-only (XXH_INLINE_ALL): libpg_query exports its own older copy of
# the XXH3 symbols, and linking libxxhash would bind to whichever comes first (docs/toolchain.md #1).
function(migsafe_use_xxhash target)
    target_include_directories(${target} SYSTEM PRIVATE ${XXHASH_INCLUDE_DIRS})
    target_compile_definitions(${target} PRIVATE XXH_INLINE_ALL)
endfunction()
