"""kg.export"""
