"""Monthly sales targets (销售目标) and progress against them."""
