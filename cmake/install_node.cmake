# Install-time script (cmake/node.cmake's install rule, the package's last): builds the node with
# cargo against the interfaces just installed into CMAKE_INSTALL_PREFIX and installs the binary as
# lib/eq_negotiator/eq_negotiator. EQ_CARGO, EQ_SOURCE_DIR, EQ_TARGET_DIR, EQ_FEATURES,
# EQ_CARGO_ARGS, EQ_IDL_PACKAGES and EQ_PACKAGE are set by the rule before it.

if(NOT "$ENV{DESTDIR}" STREQUAL "")
  message(FATAL_ERROR "eq_negotiator: DESTDIR installs are not supported: the node is built "
    "against the interfaces where they are installed, and its RPATH names that place")
endif()

# "PREFIX:the variable's entries", with PREFIX once and no empty entries: the same value whether
# or not the workspace was sourced before the build, so that r2r, which rebuilds its bindings
# whenever these variables change, does not rebuild for that.
function(eq_prefix_first out variable prefix)
  set(entries "${prefix}")
  string(REPLACE ":" ";" given "$ENV{${variable}}")
  foreach(entry IN LISTS given)
    string(REGEX REPLACE "/+$" "" entry "${entry}")
    if(NOT entry STREQUAL "" AND NOT entry STREQUAL prefix)
      list(APPEND entries "${entry}")
    endif()
  endforeach()
  list(REMOVE_DUPLICATES entries)
  string(REPLACE ";" ":" joined "${entries}")
  set(${out} "${joined}" PARENT_SCOPE)
endfunction()

string(REGEX REPLACE "/+$" "" _eq_prefix "${CMAKE_INSTALL_PREFIX}")
if(NOT EXISTS "${_eq_prefix}/share/ament_index/resource_index/rosidl_interfaces/${EQ_PACKAGE}")
  message(FATAL_ERROR "eq_negotiator: the package's interfaces are not installed in "
    "${_eq_prefix}; the node's install rule must run after rosidl's")
endif()
eq_prefix_first(_eq_ament AMENT_PREFIX_PATH "${_eq_prefix}")
eq_prefix_first(_eq_cmake CMAKE_PREFIX_PATH "${_eq_prefix}")
# r2r's build scripts load the message libraries they generate bindings for.
eq_prefix_first(_eq_libs LD_LIBRARY_PATH "${_eq_prefix}/lib")
set(ENV{AMENT_PREFIX_PATH} "${_eq_ament}")
set(ENV{CMAKE_PREFIX_PATH} "${_eq_cmake}")
set(ENV{LD_LIBRARY_PATH} "${_eq_libs}")
set(ENV{IDL_PACKAGE_FILTER} "${EQ_IDL_PACKAGES}")
unset(ENV{CMAKE_IDL_PACKAGES})
# cargo runs its own jobs, not make's (whose jobserver is not passed to install scripts).
unset(ENV{MAKEFLAGS})
unset(ENV{MFLAGS})
unset(ENV{MAKELEVEL})

# r2r caches the bindings it generates under a hash of the values of AMENT_PREFIX_PATH,
# CMAKE_PREFIX_PATH, CMAKE_IDL_PACKAGES, IDL_PACKAGE_FILTER and ROS_DISTRO, and reads the
# interface files again only when one of those changes: a message edited or updated under the
# same paths would keep the old bindings. So the definitions it reads (the filtered packages and
# the four r2r always adds, first on AMENT_PREFIX_PATH) are hashed, and when they differ from
# those of the last build with these variables in this target folder (or that build is not
# known), r2r's generating crates are cleaned and generate their bindings anew.
set(_eq_defs "")
set(_eq_seen "")
string(REPLACE ":" ";" _eq_prefixes "${_eq_ament}")
foreach(_eq_dir IN LISTS _eq_prefixes)
  foreach(_eq_pkg IN LISTS EQ_IDL_PACKAGES ITEMS
      rcl_interfaces builtin_interfaces unique_identifier_msgs action_msgs)
    list(FIND _eq_seen "${_eq_pkg}" _eq_index)  # (no IN_LIST: install scripts run with old policies)
    if(_eq_index EQUAL -1 AND
        EXISTS "${_eq_dir}/share/ament_index/resource_index/rosidl_interfaces/${_eq_pkg}")
      list(APPEND _eq_seen ${_eq_pkg})
      file(GLOB _eq_files "${_eq_dir}/share/${_eq_pkg}/msg/*" "${_eq_dir}/share/${_eq_pkg}/srv/*"
        "${_eq_dir}/share/${_eq_pkg}/action/*")
      list(SORT _eq_files)
      foreach(_eq_file IN LISTS _eq_files)
        file(SHA256 "${_eq_file}" _eq_sum)
        string(APPEND _eq_defs "${_eq_file} ${_eq_sum}\n")
      endforeach()
    endif()
  endforeach()
endforeach()
string(SHA256 _eq_defs "${_eq_defs}")
string(SHA256 _eq_env "${_eq_ament}|${_eq_cmake}|${EQ_IDL_PACKAGES}|$ENV{ROS_DISTRO}")
set(_eq_stamp "${EQ_TARGET_DIR}/release/eq_negotiator-interfaces/${_eq_env}")
set(_eq_built "")
if(EXISTS "${_eq_stamp}")
  file(READ "${_eq_stamp}" _eq_built)
endif()
if(NOT _eq_built STREQUAL _eq_defs)
  message(STATUS "eq_negotiator: interface definitions new to r2r's bindings in "
    "${EQ_TARGET_DIR}: cargo clean -p r2r_msg_gen -p r2r, so that it generates them anew")
  execute_process(
    COMMAND "${EQ_CARGO}" clean --release --target-dir "${EQ_TARGET_DIR}" -p r2r_msg_gen -p r2r
    WORKING_DIRECTORY "${EQ_SOURCE_DIR}"
    RESULT_VARIABLE _eq_rc)
  if(NOT _eq_rc EQUAL 0)
    message(FATAL_ERROR "eq_negotiator: cargo clean of r2r's bindings failed (${_eq_rc})")
  endif()
  file(WRITE "${_eq_stamp}" "${_eq_defs}")
endif()

message(STATUS "eq_negotiator: cargo build --release --features ${EQ_FEATURES} in "
  "${EQ_TARGET_DIR} with AMENT_PREFIX_PATH=${_eq_ament} IDL_PACKAGE_FILTER=${EQ_IDL_PACKAGES}")
# From the source folder, so that its .cargo/config.toml applies (ARM64: the CPU's own
# instructions); --locked: exactly the versions in Cargo.lock.
execute_process(
  COMMAND "${EQ_CARGO}" build --release --locked --features "${EQ_FEATURES}"
    --target-dir "${EQ_TARGET_DIR}" ${EQ_CARGO_ARGS}
  WORKING_DIRECTORY "${EQ_SOURCE_DIR}"
  RESULT_VARIABLE _eq_rc)
if(NOT _eq_rc EQUAL 0)
  message(FATAL_ERROR "eq_negotiator: cargo build failed (${_eq_rc}); its output is above")
endif()

file(INSTALL DESTINATION "${_eq_prefix}/lib/${EQ_PACKAGE}" TYPE PROGRAM
  FILES "${EQ_TARGET_DIR}/release/eq_negotiator")
