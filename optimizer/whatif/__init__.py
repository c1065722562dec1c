"""What-ifs that solve one model many times: alternatives, fronts, sensitivity, coordination."""
