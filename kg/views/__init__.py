"""kg.views"""
