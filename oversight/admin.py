"""No admin for oversight: indicators and bulletins belong to the General Office's workspace, not to the 三员."""
