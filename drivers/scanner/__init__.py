"""Reading the codes a scanner or camera captured.

A USB QR scanner is a keyboard (HID): it types the code's text and Enter, so it needs no
driver and reaches the desk as a typed line. What needs one is a picture: a photo of a slip,
a document camera's frame, or the slip's PDF. `codes_in_image` reads the QR codes in it with
zxing-cpp; another capture device would be another function here, and nothing above changes.
"""
