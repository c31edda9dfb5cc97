# The node binary in a ROS installation (included by CMakeLists.txt when EQ_NEGOTIATOR_NODE is on,
# as it is in a colcon build): cargo builds it at install time and it is installed as
# lib/eq_negotiator/eq_negotiator, where `ros2 run eq_negotiator eq_negotiator` and the launch
# file look for it.
#
# Why at install time: r2r generates the node's Rust bindings, when cargo builds it, from the
# interface packages it finds on AMENT_PREFIX_PATH, and this package's own message
# (eq_negotiator/msg/NegotiationState) exists there only once the rules that rosidl adds have
# installed it. So the last install rule runs cargo with this package's install prefix first on
# AMENT_PREFIX_PATH, then installs the binary, whose RPATH (build.rs) then names the installed
# message libraries.

set(EQ_NEGOTIATOR_CARGO_FEATURES "ros" CACHE STRING
  "cargo features of the node (with `ros`; e.g. ros,cuda for llama.cpp's CUDA backend)")
set(EQ_NEGOTIATOR_CARGO_ARGS "" CACHE STRING
  "further `cargo build` arguments, a CMake list (e.g. --no-default-features)")
# A robot's default: a target folder in the package's build folder, kept between builds
# (llama.cpp alone takes minutes to build). CARGO_TARGET_DIR, when set at configure time, wins.
if(DEFINED ENV{CARGO_TARGET_DIR} AND NOT "$ENV{CARGO_TARGET_DIR}" STREQUAL "")
  set(_eq_target_dir "$ENV{CARGO_TARGET_DIR}")
else()
  set(_eq_target_dir "${CMAKE_CURRENT_BINARY_DIR}/cargo")
endif()
set(EQ_NEGOTIATOR_CARGO_TARGET_DIR "${_eq_target_dir}" CACHE PATH
  "cargo's target folder for the node")

# The interface packages r2r generates bindings for: the same list as IDL_PACKAGE_FILTER in
# scripts/ros-env (scripts/check-colcon checks that they agree).
set(EQ_NEGOTIATOR_IDL_PACKAGES
  std_msgs std_srvs diagnostic_msgs builtin_interfaces rcl_interfaces lifecycle_msgs hri_msgs
  eq_negotiator)

# Prerequisites, with what to install when one is missing.
find_program(EQ_NEGOTIATOR_CARGO cargo HINTS "$ENV{CARGO_HOME}/bin" "$ENV{HOME}/.cargo/bin")
if(NOT EQ_NEGOTIATOR_CARGO)
  message(FATAL_ERROR "eq_negotiator: cargo not found; install Rust >= 1.88 "
    "(curl --proto '=https' -sSf https://sh.rustup.rs | sh), or build the interfaces only "
    "with -DEQ_NEGOTIATOR_NODE=OFF")
endif()
if(NOT DEFINED ENV{LIBCLANG_PATH})
  file(GLOB _eq_libclang /usr/lib/llvm-*/lib/libclang.so* /usr/lib/*-linux-gnu/libclang*.so*)
  if(NOT _eq_libclang)
    message(FATAL_ERROR "eq_negotiator: libclang not found (r2r and llama.cpp generate their "
      "bindings with it); install libclang-dev, or set LIBCLANG_PATH")
  endif()
endif()
set(_eq_missing "")
foreach(_eq_pkg IN LISTS EQ_NEGOTIATOR_IDL_PACKAGES ITEMS rcl rcl_action)
  if(NOT _eq_pkg STREQUAL PROJECT_NAME)
    find_package(${_eq_pkg} QUIET)
    if(NOT ${_eq_pkg}_FOUND)
      list(APPEND _eq_missing ${_eq_pkg})
    endif()
  endif()
endforeach()
if(_eq_missing)
  set(_eq_distro "$ENV{ROS_DISTRO}")
  if(_eq_distro STREQUAL "")
    set(_eq_distro jazzy)
  endif()
  string(REPLACE "_" "-" _eq_apt "${_eq_missing}")
  list(TRANSFORM _eq_apt PREPEND "ros-${_eq_distro}-")
  string(REPLACE ";" " " _eq_apt "${_eq_apt}")
  string(REPLACE ";" ", " _eq_missing "${_eq_missing}")
  message(FATAL_ERROR "eq_negotiator: ROS 2 packages not found: ${_eq_missing}. Install them "
    "(apt install ${_eq_apt}) or source the ROS setup file first; hri_msgs may instead be "
    "this repository's ros/hri_msgs as a second package in the workspace "
    "(ln -s <this repository>/ros/hri_msgs src/hri_msgs)")
endif()
message(STATUS "eq_negotiator: the node is built by cargo at install time (features "
  "${EQ_NEGOTIATOR_CARGO_FEATURES}, target folder ${EQ_NEGOTIATOR_CARGO_TARGET_DIR})")

# The install rule; CMakeLists.txt calls it after ament_package(), so that it is the last.
function(eq_negotiator_install_node)
  # The script reads these when it runs (cmake_install.cmake is one scope).
  install(CODE "
    set(EQ_CARGO [==[${EQ_NEGOTIATOR_CARGO}]==])
    set(EQ_SOURCE_DIR [==[${CMAKE_CURRENT_SOURCE_DIR}]==])
    set(EQ_TARGET_DIR [==[${EQ_NEGOTIATOR_CARGO_TARGET_DIR}]==])
    set(EQ_FEATURES [==[${EQ_NEGOTIATOR_CARGO_FEATURES}]==])
    set(EQ_CARGO_ARGS [==[${EQ_NEGOTIATOR_CARGO_ARGS}]==])
    set(EQ_IDL_PACKAGES [==[${EQ_NEGOTIATOR_IDL_PACKAGES}]==])
    set(EQ_PACKAGE [==[${PROJECT_NAME}]==])
  ")
  install(SCRIPT "${CMAKE_CURRENT_SOURCE_DIR}/cmake/install_node.cmake")
endfunction()
