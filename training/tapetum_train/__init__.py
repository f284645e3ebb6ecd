"""Tapetum's training companion: synthetic low-light raw data, the U-Net, losses, metrics, export."""
