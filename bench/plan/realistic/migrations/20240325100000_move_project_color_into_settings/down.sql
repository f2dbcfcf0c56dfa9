UPDATE projects SET settings = settings - 'color';
