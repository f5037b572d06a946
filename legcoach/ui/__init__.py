"""The Qt layer: widgets that take core models and subscribe to them."""
