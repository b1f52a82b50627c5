// widget: written in a later step
