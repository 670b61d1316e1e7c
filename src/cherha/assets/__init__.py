"""Package data: the sample centre and other files the apps read through importlib.resources."""
