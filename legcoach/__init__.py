"""legcoach: a gym-session timer and coach for the leg press family."""

__version__ = "0.1.0"
