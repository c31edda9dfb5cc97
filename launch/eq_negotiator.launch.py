"""Launches the eq_negotiator node with its parameters file.

    ros2 launch eq_negotiator eq_negotiator.launch.py [params_file:=FILE] [binary:=PATH] [namespace:=NS]

The node is a Rust binary built by cargo (`cargo build --release --features ros`; in a colcon
build, by the package's install step), started as a process: `binary` is its path, by default the
installed lib/eq_negotiator/eq_negotiator (what `ros2 run eq_negotiator eq_negotiator` runs), else
`eq_negotiator` on PATH (an install of the interfaces only, by scripts/setup-ros).
`params_file` defaults to the installed config/eq_negotiator.yaml, which holds every parameter
with its default. Outside a full ROS installation (the PyPI wheels carry no launch), use
scripts/demo or run the binary directly, as the README shows.
"""

import os

from ament_index_python.packages import get_package_prefix, get_package_share_directory
from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument, ExecuteProcess
from launch.substitutions import LaunchConfiguration


def generate_launch_description():
    default_params = os.path.join(
        get_package_share_directory("eq_negotiator"), "config", "eq_negotiator.yaml"
    )
    installed = os.path.join(
        get_package_prefix("eq_negotiator"), "lib", "eq_negotiator", "eq_negotiator"
    )
    default_binary = installed if os.access(installed, os.X_OK) else "eq_negotiator"
    return LaunchDescription([
        DeclareLaunchArgument("params_file", default_value=default_params,
                              description="ROS 2 parameters file for the node"),
        DeclareLaunchArgument("binary", default_value=default_binary,
                              description="path of the eq_negotiator binary"),
        DeclareLaunchArgument("namespace", default_value="",
                              description="namespace of the node's topics and service"),
        ExecuteProcess(
            cmd=[
                LaunchConfiguration("binary"), "--log", "info", "node", "--ros-args",
                "-r", ["__ns:=/", LaunchConfiguration("namespace")],
                "--params-file", LaunchConfiguration("params_file"),
            ],
            output="screen",
            sigterm_timeout="10",
        ),
    ])
